"""Authoring checks beyond the schema: ids, ranges and the shape of the graph.

Each finding is ``(location, message)``, the location a path into the YAML
document (``("nodes", 3, "options", 1, "next")``) that the content layer turns into
``file:line``. Every message names the bad value and the fix, in the session's language
(catalog ``objections.check``); ids stay as they are, since the author types them.
"""

from __future__ import annotations

from collections import deque

from salestrain.base.i18n import t
from salestrain.core.objections import vocabulary as v
from salestrain.core.objections.modes import vocabulary_for
from salestrain.core.objections.scenario import Scenario

Finding = tuple[tuple, str]


def _one_of(values) -> str:
    """Ids to choose from, joined as the language lists things (``a, b`` or ``a、b``)."""
    return t("objections.check.separator").join(values)


def _msg(name: str, **values: object) -> str:
    return t(f"objections.check.{name}", **values)


def check_scenario(s: Scenario) -> list[Finding]:
    out: list[Finding] = []
    # The ids come from the scenario's own vocabulary (objection or coaching); a coaching
    # dialogue names its personas, topics and moves in its catalog's words.
    vocab = vocabulary_for(s.mode)

    def _vmsg(name: str, **values: object) -> str:
        return t(f"{vocab.catalog}.check.{name}", **values)

    if s.persona not in vocab.personas:
        out.append((("persona",), _vmsg("persona", got=s.persona, known=_one_of(vocab.personas))))
    for i, fam in enumerate(s.families):
        if fam not in vocab.families:
            out.append((("families", i), _vmsg("family", got=fam, known=_one_of(vocab.families))))
    for var, value in s.state.items():
        if var not in v.STATE_RANGE:
            out.append((("state", var), _msg("state_var", got=var, known=_one_of(v.STATE_VARS))))
            continue
        lo, hi = v.STATE_RANGE[var]
        if not lo <= value <= hi:
            out.append((("state", var), _msg("state_range", var=var, value=value, lo=lo, hi=hi)))
    ids: dict[str, int] = {}
    for i, node in enumerate(s.nodes):
        if node.id in ids:
            out.append((("nodes", i, "id"), _msg("node_twice", got=node.id, other=ids[node.id])))
        else:
            ids[node.id] = i
    if s.start not in ids:
        out.append((("start",), _msg("no_start", got=s.start, known=_one_of(ids))))
    for i, node in enumerate(s.nodes):
        loc = ("nodes", i)
        if node.family is not None and node.family not in vocab.families:
            out.append(((*loc, "family"),
                        _vmsg("family", got=node.family, known=_one_of(vocab.families))))
        if not (node.options or node.route or node.ending):
            out.append((loc, _msg("dead_end", node=node.id)))
        for j, opt in enumerate(node.options):
            oloc = (*loc, "options", j)
            for k, tech in enumerate(opt.techniques):
                if tech not in vocab.techniques:
                    out.append(((*oloc, "techniques", k),
                                _vmsg("technique", got=tech, known=_one_of(vocab.techniques))))
            for var, amount in opt.effects.items():
                if var not in v.STATE_RANGE:
                    out.append(((*oloc, "effects", var),
                                _msg("state_var", got=var, known=_one_of(v.STATE_VARS))))
                elif abs(amount) > v.MAX_EFFECT:
                    out.append(((*oloc, "effects", var),
                                _msg("effect_range", var=var, amount=amount, most=v.MAX_EFFECT)))
            if opt.next not in ids:
                out.append(((*oloc, "next"), _msg("no_next", got=opt.next, known=_one_of(ids))))
        for j, route in enumerate(node.route):
            rloc = (*loc, "route", j)
            for var in route.when:
                if var not in v.STATE_RANGE:
                    out.append(((*rloc, "when", var),
                                _msg("state_var", got=var, known=_one_of(v.STATE_VARS))))
            if route.next not in ids:
                out.append(((*rloc, "next"), _msg("no_next", got=route.next, known=_one_of(ids))))
        if node.route and node.route[-1].when:
            out.append(((*loc, "route", len(node.route) - 1), _msg("no_default_route", node=node.id)))
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
        out.append((("nodes",), _msg("no_endings")))
    reached = _reach(s.start, edges)
    for node in s.nodes:
        if node.id not in reached:
            out.append((("nodes", ids[node.id], "id"), _msg("unreachable", node=node.id, start=s.start)))
    # Loops with no exit: nodes from which no ending can be reached.
    reverse: dict[str, list[str]] = {n: [] for n in edges}
    for src, dsts in edges.items():
        for dst in dsts:
            reverse[dst].append(src)
    can_finish = _reach_many(endings, reverse)
    for node in s.nodes:
        if node.id in reached and node.id not in can_finish and endings:
            out.append((("nodes", ids[node.id], "id"), _msg("no_exit", node=node.id)))
    # Routes that only lead back into routes never settle.
    route_edges = {n.id: [r.next for r in n.route] for n in s.nodes if n.route}
    for nid in route_edges:
        if nid in _reach_many(route_edges.get(nid, []), route_edges):
            out.append((("nodes", ids[nid], "route"), _msg("route_loop", node=nid)))
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
