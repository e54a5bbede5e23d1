"""Library: the team's saved scenarios, searchable, each behind a short link that never changes meaning."""

from dashboard.ui import library, state
from dashboard.ui.lang import _
from dashboard.ui.page import scenario_page
from dashboard.ui.show import header


def draw(ctx: state.Context) -> None:
    header(ctx, _("Library"), _("Scenarios the team saved with “{button}” (sidebar). Each is fixed once saved: saving "
                                "again makes a new entry, and its short link always opens the same view, on any "
                                "replica.").format(button=_("Save to library")))
    library.library_page(ctx)


scenario_page(draw)
