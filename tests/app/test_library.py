"""The library in the app (AppTest): save from the sidebar, open the short link in every view, the Library page,
and a database that cannot be reached."""

from __future__ import annotations

import json

import pytest

from dashboard.library import LibraryStore, NewEntry, database_url
from dashboard.model.explain import explain
from dashboard.model.scenario import preset
from tests.app.helpers import (
    app,
    english_by_design,
    english_left,
    figures,
    map_points,
    no_errors,
    shown,
    visible_text,
)


@pytest.fixture
def db(tmp_path, monkeypatch) -> LibraryStore:
    """A library of this test's own."""
    url = f"sqlite:///{tmp_path}/library.sqlite3"
    monkeypatch.setenv("KURIL_DATABASE_URL", url)
    return LibraryStore.from_url(url)


def save_from_sidebar(at, title: str, note: str = "", author: str = "") -> str:
    """Open the form, fill it, press Save; return the short link it shows."""
    at.sidebar.button(key="_library_open").click().run()
    fields = {t.label: t for t in at.sidebar.text_input}
    fields["Title"].input(title)
    fields["Author name"].input(author)
    if note:
        next(t for t in at.sidebar.text_area if t.label == "Note").input(note)
    at.sidebar.button(key="FormSubmitter:library_save-Save").click().run()
    no_errors(at)
    links = [c.value for c in at.sidebar.code if "?s=" in c.value]
    assert links, [s.value for s in at.sidebar.error]
    return links[-1]


def test_a_saved_scenario_opens_by_its_short_link_with_the_same_numbers(db, model):
    at = app(japan_public_support="31", western_sanctions="80", option="economy_first")
    at.run()
    sent = map_points(at)
    link = save_from_sidebar(at, "Sceptical Tokyo", note="for the Monday brief", author="M. Analyst")
    assert link.startswith("http://localhost:8501/?s=")
    entry_id = link.split("?s=")[1]
    (saved,) = db.search()[0]
    assert (saved.id, saved.title, saved.note, saved.author) == (entry_id, "Sceptical Tokyo", "for the Monday brief",
                                                                 "M. Analyst")
    assert saved.data_version == model.version and saved.headline

    opened = app(s=entry_id)
    opened.run()
    no_errors(opened)
    assert opened.sidebar.slider(key="japan_public_support").value == 31
    assert opened.sidebar.slider(key="western_sanctions").value == 80
    assert opened.sidebar.selectbox(key="option").value == "economy_first"
    assert map_points(opened) == sent
    assert not opened.warning  # nothing to complain about

    viewer = app(s=entry_id, view="viewer")
    viewer.run()
    no_errors(viewer)
    assert not viewer.sidebar.slider
    assert map_points(viewer) == sent


def test_after_saving_the_share_box_shows_the_short_link_until_the_scenario_changes(db):
    at = app(japan_public_support="31")
    at.run()
    link = save_from_sidebar(at, "One")
    at.run()
    assert any(f"Short link: `{link}`" in m.value for m in at.sidebar.markdown)
    at.sidebar.slider(key="japan_public_support").set_value(32).run()
    assert not [m.value for m in at.sidebar.markdown if "Short link" in m.value]


def test_the_page_and_its_choices_travel_with_the_short_link(db):
    at = app(analysis="grid", grid_x="western_sanctions")
    at.run()
    at.switch_page("views/sensitivity.py").run()
    entry_id = save_from_sidebar(at, "Grid").split("?s=")[1]
    assert db.get(entry_id).page == "sensitivity"
    opened = app(s=entry_id)
    opened.run()
    no_errors(opened)
    assert opened.segmented_control(key="analysis").value == "grid"
    assert opened.selectbox(key="grid_x").value == "western_sanctions"


@pytest.mark.parametrize("sid", ["A" * 16, "AAAAAAAAAAAAAAAAAAAAAA", "<b>x</b>", ""])
def test_an_unknown_or_malformed_id_opens_the_default_view_with_one_notice(db, model, sid):
    at = app(s=sid)
    at.run()
    no_errors(at)
    assert len(at.warning) == 1 and "s: " in shown(at.warning) and "opened the default view" in shown(at.warning)
    assert at.sidebar.slider(key="japan_public_support").value == model.baseline["japan_public_support"]
    assert "<b>" not in shown(at.warning)


def test_a_deleted_entry_is_gone_from_the_list_but_its_link_still_opens(db):
    e = db.save(NewEntry(title="Old brief", query=(("japan_public_support", "22"), ("v", "2026.1")),
                         data_version="2026.1"))
    db.set_hidden(e.id)
    at = app(s=e.id)
    at.run()
    no_errors(at)
    assert at.sidebar.slider(key="japan_public_support").value == 22
    at.switch_page("views/library.py").run()
    assert not at.dataframe and "Nothing saved yet" in shown(at.markdown)


def test_an_entry_saved_under_an_older_data_version_says_what_changed(db):
    e = db.save(NewEntry(title="Old", query=(("japan_public_support", "40"), ("v", "2015.1")), data_version="2015.1"))
    at = app(s=e.id)
    at.run()
    no_errors(at)
    assert "data version 2015.1" in shown(at.info)
    assert at.sidebar.slider(key="japan_public_support").value == 40


def test_a_title_is_required_and_nothing_is_saved_without_one(db):
    at = app()
    at.run()
    at.sidebar.button(key="_library_open").click().run()
    at.sidebar.button(key="FormSubmitter:library_save-Save").click().run()
    assert "Not saved: Title: required." in shown(at.sidebar.error)  # named by the form's own label
    assert db.search()[1] == 0


def test_markup_in_title_and_note_is_shown_as_text_on_the_library_page(db):
    db.save(NewEntry(title="**bold** <img src=x onerror=alert(1)>", note="[link](http://example.com)",
                     query=(("v", "2026.1"),), data_version="2026.1"))
    at = app()
    at.run()
    at.switch_page("views/library.py").run()
    no_errors(at)
    assert at.dataframe[0].value["Title"].tolist() == ["**bold** <img src=x onerror=alert(1)>"]


def test_library_page_searches_pages_and_deletes(db):
    db.save_many([NewEntry(title=f"Brief {i:03d}", author="Mori" if i % 2 else "Sato", query=(("v", "2026.1"),),
                           data_version="2026.1") for i in range(60)])
    at = app()
    at.run()
    at.switch_page("views/library.py").run()
    no_errors(at)
    assert len(at.dataframe[0].value) == 25 and "60 saved scenarios" in shown(at.caption)
    at.text_input(key="_library_query").input("sato").run()
    assert "30 saved scenarios matching “sato”" in shown(at.caption)
    assert set(at.dataframe[0].value["Author"]) == {"Sato"}
    at.number_input(key="_library_page").set_value(2).run()
    assert len(at.dataframe[0].value) == 5
    at.selectbox(key="_library_sort").set_value("title").run()
    assert at.number_input(key="_library_page").value == 2
    assert at.dataframe[0].value["Title"].tolist() == [f"Brief {i:03d}" for i in range(50, 60, 2)]


def test_a_slider_move_does_not_touch_the_database(db, monkeypatch):
    at = app()
    at.run()
    calls = []
    real = LibraryStore._run
    monkeypatch.setattr(LibraryStore, "_run", lambda self, fn: calls.append(1) or real(self, fn))
    at.sidebar.slider(key="japan_public_support").set_value(60).run()
    at.sidebar.slider(key="japan_public_support").set_value(61).run()
    no_errors(at)
    assert calls == []
    at.sidebar.button(key="_library_open").click().run()  # opening the form checks the database once
    assert len(calls) == 1
    at.sidebar.slider(key="japan_public_support").set_value(62).run()  # with the form open: still no query
    no_errors(at)
    assert len(calls) == 1


def test_an_unreachable_database_leaves_the_app_working_and_says_why_saving_is_off(monkeypatch):
    monkeypatch.setenv("KURIL_DATABASE_URL", "postgresql+psycopg://kuril:pw-not-shown@127.0.0.1:1/kuril")
    at = app(japan_public_support="40")
    at.run()
    no_errors(at)
    assert at.get("plotly_chart")
    at.sidebar.button(key="_library_open").click().run()
    assert "Saving is off" in shown(at.sidebar.warning) and "pw-not-shown" not in shown(at.sidebar.warning)
    assert at.sidebar.button(key="FormSubmitter:library_save-Save").disabled
    at.switch_page("views/library.py").run()
    no_errors(at)
    assert "not available now" in shown(at.warning) and "pw-not-shown" not in shown(at.warning)
    short = app(s="A" * 16)
    short.run()
    no_errors(short)
    assert "library is not available" in shown(short.warning)


def test_a_bad_database_url_is_a_notice_not_a_crash(monkeypatch):
    monkeypatch.setenv("KURIL_DATABASE_URL", "nosuchdb://u:secret@h/x")
    at = app()
    at.run()
    no_errors(at)
    at.sidebar.button(key="_library_open").click().run()
    assert "cannot be used" in shown(at.sidebar.warning) and "secret" not in shown(at.sidebar.warning)


def test_default_database_is_the_sqlite_file_the_readme_names(monkeypatch):
    monkeypatch.delenv("KURIL_DATABASE_URL")
    assert database_url().endswith("/var/library.sqlite3")


def test_duplicate_puts_an_entry_in_the_sidebar(db, model):
    values = preset(model, "snap-election").drivers
    e = db.save(NewEntry(title="Snap", query=(*tuple((k, str(int(v))) for k, v in values.items()), ("v", "2026.1")),
                         data_version="2026.1"))
    at = app()
    at.run()
    at.switch_page("views/library.py").run()
    at.session_state["_library_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    at.button(key="_library_duplicate").click().run()
    no_errors(at)
    assert {d: at.sidebar.slider(key=d).value for d in values} == {d: int(v) for d, v in values.items()}
    assert e.title in shown(at.markdown[:1])  # the header names the scenario duplicated


def test_two_entries_are_compared_on_the_compare_page(db, model):
    a = db.save(NewEntry(title="Low support", query=(("japan_public_support", "20"), ("v", "2026.1")),
                         data_version="2026.1"))
    b = db.save(NewEntry(title="High support", query=(("japan_public_support", "90"), ("v", "2026.1")),
                         data_version="2026.1"))
    # What "Compare these two" on the Library page sets (AppTest drops the sidebar's widget values across an
    # st.switch_page, so the button itself is driven in tests/browser/test_library.py).
    from dashboard.ui.library import COMPARE, link_of

    at = app()
    at.run()
    at.session_state[COMPARE] = {f"lib:{e.id}": (e.title, link_of(model, e)) for e in (b, a)}
    at.session_state["compare_a"], at.session_state["compare_b"] = f"lib:{b.id}", f"lib:{a.id}"
    at.session_state["_param_page"] = {"compare_a": "compare", "compare_b": "compare"}
    at.switch_page("views/compare.py").run()
    no_errors(at)
    assert at.selectbox(key="compare_a").value == f"lib:{b.id}"
    assert at.selectbox(key="compare_b").value == f"lib:{a.id}"
    # Only this session knows a library choice: the address bar keeps the page's own choices.
    assert "compare_a" not in at.query_params
    side = next(f for f in figures(at) if "High support" in str(f["layout"]))
    assert "Low support" in str(side["layout"])


def test_export_writes_a_scenario_file_that_opens_as_the_entry(db, model):
    from dashboard.model.scenario import parse_scenario
    from dashboard.ui.library import _scenario_file

    e = db.save(NewEntry(title="Exported", note="n", query=(("japan_public_support", "33"), ("option", "four_islands"),
                                                             ("v", model.version)), data_version=model.version))
    scenario = parse_scenario(_scenario_file(model, e, "yaml").encode(), model, "x.yaml")
    assert scenario.title == "Exported" and scenario.drivers["japan_public_support"] == 33
    assert scenario.option == "four_islands"


def test_library_page_charts_what_each_listed_scenario_finds_beside_the_sidebars_view(db, model):
    values = preset(model, "snap-election").drivers
    db.save(NewEntry(title="Snap", query=(*tuple((k, str(int(v))) for k, v in values.items()), ("v", model.version)),
                     data_version=model.version))
    at = app()
    at.run()
    at.switch_page("views/library.py").run()
    no_errors(at)
    (fig,) = [f for f in figures(at) if f["layout"]["title"]["text"] == "What each scenario finds"]
    (bars,) = fig["data"]
    assert bars["y"] == ["This view (sidebar, not saved)", "Snap"]
    want = [model.score(None)["joint"].max(), model.score(values)["joint"].max()]
    assert bars["x"] == pytest.approx(want)


# --- Japanese and Russian -------------------------------------------------------------------------------------------

def test_the_library_page_in_japanese_has_no_english_but_what_its_authors_typed(db, model):
    typed = dict(title="Snap election brief", note="For the Monday morning meeting", author="M. Analyst")
    values = preset(model, "snap-election").drivers
    saved = db.save(NewEntry(**typed, query=(*((k, str(int(v))) for k, v in values.items()), ("v", model.version)),
                             data_version=model.version, headline="An English headline saved by an English session"))
    at = app(lang="ja")
    at.run()
    at.switch_page("views/library.py").run()
    at.session_state["_library_table"] = {"selection": {"rows": [0], "columns": []}}  # one row picked: its actions
    at.run()
    no_errors(at)
    assert at.button(key="_library_duplicate").label == "サイドバーに複製"
    left = english_left(visible_text(at.main), english_by_design(model) + list(typed.values()))
    assert not left, left
    table = at.dataframe[0].value
    assert list(table.columns) == ["表題", "著者", "保存日時（UTC）", "要点", "データ", "短縮リンク"]
    assert table["表題"].tolist() == [typed["title"]]  # as typed
    # What the scenario finds, in Japanese (the headline saved in English is not shown to a Japanese reader).
    assert table["要点"].tolist() == [explain(model, values, lang="ja").headline]
    assert table["保存日時（UTC）"].tolist() == [saved.created_at.replace(tzinfo=None)]
    columns = json.loads(at.dataframe[0].proto.columns)  # written the Japanese way, still sorted by time
    assert columns["保存日時（UTC）"]["type_config"]["format"] == "YYYY/MM/DD HH:mm"
    assert table["短縮リンク"].tolist() == [f"http://localhost:8501/?lang=ja&s={saved.id}"]


def test_saving_in_japanese_speaks_japanese_and_names_the_field_by_its_label(db, model):
    at = app(lang="ja")
    at.run()
    at.sidebar.button(key="_library_open").click().run()
    assert not english_left(visible_text(at.sidebar), english_by_design(model))
    at.sidebar.button(key="FormSubmitter:library_save-保存").click().run()
    assert shown(at.sidebar.error) == "保存されていません：表題：必須。"
    next(t for t in at.sidebar.text_input if t.label == "表題").input("北方四島の検討")
    at.sidebar.button(key="FormSubmitter:library_save-保存").click().run()
    no_errors(at)
    assert shown(at.sidebar.success) == "「北方四島の検討」を保存しました。"
    assert db.search()[0][0].title == "北方四島の検討"


def test_a_bad_short_link_in_a_russian_session_is_explained_in_russian():
    at = app(lang="ru", s="not-an-id")
    at.run()
    no_errors(at)
    assert "s: не идентификатор сохранённого сценария (16 символов: буквы, цифры, - или _); открыт вид по " \
           "умолчанию." in shown(at.warning)


def test_an_unreachable_library_is_explained_in_russian_around_the_databases_own_name(monkeypatch):
    monkeypatch.setenv("KURIL_DATABASE_URL", "postgresql+psycopg://kuril:pw-not-shown@127.0.0.1:1/kuril")
    at = app(lang="ru")
    at.run()
    at.switch_page("views/library.py").run()
    no_errors(at)
    said = shown(at.warning)
    assert said.startswith("Библиотека сейчас недоступна: база данных библиотеки (postgresql+psycopg://kuril:***@")
    assert "pw-not-shown" not in said
