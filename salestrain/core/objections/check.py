"""Authoring checks beyond the schema: ids, ranges and the shape of the graph.

Each finding is ``(location, message)``, the location a path into the YAML
document (``("nodes", 3, "options", 1, "next")``) that the content layer turns into
``file:line``. Every message names the bad value and the fix.
"""

from __future__ import annotations

from collections import deque

from salestrain.core.objections import vocabulary as v
from salestrain.core.objections.scenario import Scenario

Finding = tuple[tuple, str]


def _one_of(values) -> str:
    return ", ".join(values)


def check_scenario(s: Scenario) -> list[Finding]:
    out: list[Finding] = []
    if s.persona not in v.PERSONAS:
        out.append((("persona",), f"unknown persona {s.persona!r}; use one of: {_one_of(v.PERSONAS)}"))
    for i, fam in enumerate(s.families):
        if fam not in v.FAMILIES:
            out.append((("families", i), f"unknown objection family {fam!r}; use one of: "
                                         f"{_one_of(v.FAMILIES)}"))
    for var, value in s.state.items():
        if var not in v.STATE_RANGE:
            out.append((("state", var), f"unknown state variable {var!r}; use one of: "
                                        f"{_one_of(v.STATE_VARS)}"))
            continue
        lo, hi = v.STATE_RANGE[var]
        if not lo <= value <= hi:
            out.append((("state", var), f"{var} starts at {value}, outside {lo}..{hi}; "
                                        f"choose a value in that range"))
    ids: dict[str, int] = {}
    for i, node in enumerate(s.nodes):
        if node.id in ids:
            out.append((("nodes", i, "id"), f"node id {node.id!r} is used twice (also node "
                                            f"{ids[node.id]}); give each node its own id"))
        else:
            ids[node.id] = i
    if s.start not in ids:
        out.append((("start",), f"start node {s.start!r} does not exist; use one of the node "
                                "ids: " + _one_of(ids)))
    for i, node in enumerate(s.nodes):
        loc = ("nodes", i)
        if node.family is not None and node.family not in v.FAMILIES:
            out.append(((*loc, "family"), f"unknown objection family {node.family!r}; use one "
                                          f"of: {_one_of(v.FAMILIES)}"))
        if not (node.options or node.route or node.ending):
            out.append((loc, f"dead end: node {node.id!r} has no options, no route and no "
                             "ending; add options, or mark it `ending: won|next_step|stalled|lost`"))
        for j, opt in enumerate(node.options):
            oloc = (*loc, "options", j)
            for k, tech in enumerate(opt.techniques):
                if tech not in v.TECHNIQUES:
                    out.append(((*oloc, "techniques", k), f"unknown technique {tech!r}; use one "
                                                          f"of: {_one_of(v.TECHNIQUES)}"))
            for var, amount in opt.effects.items():
                if var not in v.STATE_RANGE:
                    out.append(((*oloc, "effects", var), f"unknown state variable {var!r}; use "
                                                         f"one of: {_one_of(v.STATE_VARS)}"))
                elif abs(amount) > v.MAX_EFFECT:
                    out.append(((*oloc, "effects", var),
                                f"effect {var} {amount:+d} is out of range; one answer moves a "
                                f"gauge by at most {v.MAX_EFFECT} either way"))
            if opt.next not in ids:
                out.append(((*oloc, "next"), f"next node {opt.next!r} does not exist; use one of "
                                             f"the node ids: {_one_of(ids)}"))
        for j, route in enumerate(node.route):
            rloc = (*loc, "route", j)
            for var in route.when:
                if var not in v.STATE_RANGE:
                    out.append(((*rloc, "when", var), f"unknown state variable {var!r}; use one "
                                                      f"of: {_one_of(v.STATE_VARS)}"))
            if route.next not in ids:
                out.append(((*rloc, "next"), f"next node {route.next!r} does not exist; use one "
                                             f"of the node ids: {_one_of(ids)}"))
        if node.route and node.route[-1].when:
            out.append(((*loc, "route", len(node.route) - 1),
                        f"node {node.id!r}: no route applies when none of the conditions hold; "
                        "end the list with a route that has no `when:`"))
    if out:
        return out  # the graph checks below need valid ids
    return out + _graph_findings(s, ids)


def _edges(s: Scenario) -> dict[str, list[str]]:
    return {n.id: [o.next for o in n.options] + [r.next for r in n.route] for n in s.nodes}


def _graph_findings(s: Scenario, ids: dict[str, int]) -> list[Finding]:
    out: list[Finding] = []
    edges = _edges(s)
    endings = [n.id for n in s.nodes if n.ending]
    if not endings:
        out.append((("nodes",), "endings missing: no node has `ending:`; add at least one "
                                "(won, next_step, stalled or lost)"))
    reached = _reach(s.start, edges)
    for node in s.nodes:
        if node.id not in reached:
            out.append((("nodes", ids[node.id], "id"),
                        f"unreachable node {node.id!r}: no option or route leads here from "
                        f"{s.start!r}; point a `next:` at it or delete it"))
    # Loops with no exit: nodes from which no ending can be reached.
    reverse: dict[str, list[str]] = {n: [] for n in edges}
    for src, dsts in edges.items():
        for dst in dsts:
            reverse[dst].append(src)
    can_finish = _reach_many(endings, reverse)
    for node in s.nodes:
        if node.id in reached and node.id not in can_finish and endings:
            out.append((("nodes", ids[node.id], "id"),
                        f"loop with no exit at {node.id!r}: no path from here reaches an ending; "
                        "give one of its options a `next:` towards an ending"))
    # Routes that only lead back into routes never settle.
    route_edges = {n.id: [r.next for r in n.route] for n in s.nodes if n.route}
    for nid in route_edges:
        if nid in _reach_many(route_edges.get(nid, []), route_edges):
            out.append((("nodes", ids[nid], "route"),
                        f"routes from {nid!r} lead back to {nid!r} without a decision; send one "
                        "route to a node with options or an ending"))
    return out


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    return _reach_many([start], edges)


def _reach_many(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in edges.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
