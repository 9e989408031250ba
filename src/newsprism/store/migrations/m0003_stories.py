from sqlalchemy.engine import Connection

from newsprism.stories.tables import stories, story_events, story_members, story_state


def upgrade(conn: Connection) -> None:
    stories.create(conn)
    story_members.create(conn)
    story_events.create(conn)
    story_state.create(conn)
