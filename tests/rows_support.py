"""The API lists written from rows (core/rest/rows.py) against their serializers: one request
each way, each checked to have been made the way it says."""

from core.rest.serializers import PortalSerializer


def both_ways(client, monkeypatch, url: str, view_class):
    """The answer `view_class.list_rows` writes, and its serializer's; both 200."""
    writer = view_class.list_rows
    written, serialized = [], []
    write = writer.write

    def spy(self, rows):
        written.append(True)
        return write(self, rows)

    with monkeypatch.context() as patch:
        patch.setattr(writer, "write", spy)
        from_rows = client.get(url)
    assert written, f"{url} was not written from rows"

    to_representation = PortalSerializer.to_representation

    def serializing(self, instance):
        serialized.append(True)
        return to_representation(self, instance)

    with monkeypatch.context() as patch:
        patch.setattr(view_class, "list_rows", None)
        patch.setattr(PortalSerializer, "to_representation", serializing)
        from_serializer = client.get(url)
    assert from_rows.status_code == from_serializer.status_code == 200, from_rows.content
    if from_rows.json()["results"]:
        assert serialized, f"{url} was not serialized"
    return from_rows, from_serializer


def fields_with_a_value(results: list[dict]) -> set[str]:
    """The fields holding something other than empty in at least one row."""
    return {
        field
        for field in results[0]
        if any(row[field] not in (None, "", [], False) for row in results)
    }


def dependency_tags(client, monkeypatch, url: str, view_class) -> dict[str, set[str]]:
    """The dependency tags of the answer made from rows and of the serializer's (the page
    cache on, emptied before each)."""
    from django.core.cache import cache

    from core import dependencies

    collected = []
    stop = dependencies.stop

    def collecting_stop():
        collection = dependencies.current()
        if collection is not None:
            collected.append(set(collection.tags))
        return stop()

    monkeypatch.setattr(dependencies, "stop", collecting_stop)
    tags = {}
    for way, writer in (("rows", view_class.list_rows), ("serializer", None)):
        cache.clear()
        collected.clear()
        with monkeypatch.context() as patch:
            patch.setattr(view_class, "list_rows", writer)
            assert client.get(url).status_code == 200
        assert collected, "no dependencies collected"
        tags[way] = collected[-1]
    return tags
