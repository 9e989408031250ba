"""An ingest through the API can re-analyse the stories it touched: in the request, or after it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.tokens import create_token

pytestmark = pytest.mark.models

WIRE = ("Rescuers pulled 14 people from the flooded mine in Varna on Monday, the regional governor said. "
        "Two miners are still missing, he added.")
POST = ("Fourteen people were rescued from the flooded mine in Varna on Monday, the governor said. "
        "Two miners remain missing.")


@pytest.mark.parametrize("mode", ["now", "background"])
def test_ingest_reanalyses_the_stories_it_touched(tmp_path, mode):
    db = tmp_path / "re.db"
    with Store.open(db) as store:
        token, _ = create_token(store, "tests")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(db)) as c:
        body = {"articles": [{"text": WIRE, "outlet": "Wire"}, {"text": POST, "outlet": "Post"}]}
        r = c.post(f"/api/v1/articles?analyze={mode}", json=body, headers=auth)
        assert r.status_code == 201, r.text
        analysis = r.json()["analysis"]
        assert analysis["mode"] == mode and analysis["story_ids"]
        # TestClient runs background tasks before returning: either way the findings are stored now.
        story = c.get(f"/api/v1/stories/{analysis['story_ids'][0]}").json()
        assert story["story"]["analysed_at"] is not None
        assert story["report"]["claims"]["n_claims"] > 0
        plain = c.post("/api/v1/articles", json={"articles": [{"text": "Another note. It says little."}]},
                       headers=auth)
        assert plain.status_code == 201 and plain.json()["analysis"] is None
        assert c.post("/api/v1/articles?analyze=later", json=body, headers=auth).status_code == 422
