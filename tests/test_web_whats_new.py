"""The stories page shows what is new since the reader's last visit, and each story when it was analysed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.whats_new import SEEN_COOKIE, SINCE_COOKIE, parse_visit, visit_window
from webfixtures import add_story, article, corpus, report_dict, store_report


def test_a_visit_counts_news_from_the_end_of_the_one_before():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    since, cookies = visit_window({}, now)
    assert since is None and set(cookies) == {SEEN_COOKIE}  # a first visit: nothing to compare with
    later = now + timedelta(hours=3)
    since, cookies = visit_window(cookies, later)
    assert since == now and cookies[SINCE_COOKIE] == now.isoformat()
    # Reloading or paging within the visit keeps counting from the same time.
    again, _ = visit_window(cookies, later + timedelta(minutes=5))
    assert again == now
    assert parse_visit("not a time") is None and parse_visit("9999-01-01T00:00:00+00:00") is None


def test_stories_page_lists_new_stories_conflicts_and_sources_since_the_last_visit(tmp_path):
    db = tmp_path / "news.db"
    arts = corpus()
    other = article("Two ferries collided off Portvale. Nobody was hurt.", "Coastal Ledger",
                    "https://ledger.example/f", 8)
    with Store.open(db) as store:
        store.add_articles([*arts, other])
        store_report(store, arts, report_dict(arts))
        with store.transaction() as conn:
            add_story(conn, {"id": "s2", "label": "Ferries collide", "article_ids": [other.id]}, [])
    with TestClient(create_app(db)) as c:
        first = c.get("/stories")
        assert "New since your last visit" not in first.text  # nothing to compare a first visit with
        assert first.cookies.get(SEEN_COOKIE)
        c.cookies.clear()
        an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        c.cookies.set(SEEN_COOKIE, an_hour_ago)
        page = c.get("/stories")
        assert "New since your last visit" in page.text
        assert "Ferries collide" in page.text.split('id="new-since-visit"')[1].split("</section>")[0]
        news = c.get("/stories?format=json").json()["new_since_last_visit"]
        assert news["since"] == an_hour_ago
        by_id = {n["story_id"]: n for n in news["stories"]}
        assert by_id["s2"]["new_story"] and by_id["s2"]["analysed_at"] is None
        analysed = [n for n in news["stories"] if n["analysed_at"]]
        assert analysed and analysed[0]["new_conflicts"] >= 1 and analysed[0]["new_sources"]
        story = c.get(f"/stories/{analysed[0]['story_id']}").text
        assert 'id="updated">Analysed ' in story
        # A reader whose last visit came after these changes sees nothing new.
        c.cookies.clear()
        just_now = datetime.now(UTC).isoformat()
        c.cookies.set(SEEN_COOKIE, just_now)
        c.cookies.set(SINCE_COOKIE, just_now)
        assert c.get("/stories?format=json").json()["new_since_last_visit"]["stories"] == []
