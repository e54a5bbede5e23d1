"""Taking the analysis out of the app: scores as CSV, the briefing pack as one HTML file, the slide deck.

Pure of Streamlit: the app, the command line and the tests all call these functions.
"""

from dashboard.export.briefing import Briefing, build_briefing
from dashboard.export.images import ImagesUnavailable, chromium_path
from dashboard.export.pack import briefing_pack
from dashboard.export.slides import slide_deck
from dashboard.export.tables import scores_csv, scores_table

__all__ = ["Briefing", "ImagesUnavailable", "briefing_pack", "build_briefing", "chromium_path", "scores_csv",
           "scores_table", "slide_deck"]
