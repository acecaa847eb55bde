"""What stands after the events, and what each parent (kit, box, pallet) then holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from greenlane.traceability.epcis import Event


def effective(events: Iterable[Event], rank: Callable[[Event], int] = lambda _: 0) -> list[Event]:
    """Events kept once per hash, without those declared in error, in event-time order.

    Ties at one instant go by ``rank`` (a lifecycle order), then by hash: the order never
    depends on the order of arrival.

    Parameters
    ----------
    events
        The events, in any order.
    rank
        The lifecycle order of an event at one instant.

    Returns
    -------
    list of Event
        The events in effect.

    References
    ----------
    GS1 EPCIS 2.0 (2022): error declarations.

    """
    unique: dict[tuple[str, bool], Event] = {}
    for event in events:
        unique.setdefault((event.event_hash, event.declares_error), event)
    declared = {h for h, error in unique if error}
    valid = [e for (h, error), e in unique.items() if not error and h not in declared]
    return sorted(valid, key=lambda e: (e.event_time, rank(e), e.event_hash))


def contents(events: Iterable[Event]) -> dict[str, list[str]]:
    """Each parent's children after its AggregationEvents; parents left empty are omitted.

    ADD adds children, DELETE removes them, and a DELETE naming no children empties the parent.

    Parameters
    ----------
    events
        The events.

    Returns
    -------
    dict of str to list of str
        Parent to its children.

    References
    ----------
    GS1 EPCIS 2.0 (2022): AggregationEvent (ADD, DELETE).

    """
    held: dict[str, dict[str, None]] = {}
    for event in effective(events):
        if event.event_type != "AggregationEvent" or not event.parent:
            continue
        children = [c for c in event.epcs if c != event.parent]
        inside = held.setdefault(event.parent, {})
        if event.action == "ADD":
            inside.update(dict.fromkeys(children))
        elif event.action == "DELETE":
            for child in children or list(inside):
                inside.pop(child, None)
    return {parent: list(inside) for parent, inside in sorted(held.items()) if inside}
