"""Every class of authoring error is reported as file:line: field: message."""

from __future__ import annotations

import pytest

from salestrain.base.errors import ContentError
from salestrain.io.content import validate_path
from salestrain.io.objections.scenarios import load_scenario
from tests.objections.helpers import line_of, small_yaml, write


def _problems(tmp_path, text):
    path = write(tmp_path, text)
    _, problems = validate_path(path)
    return path, problems


def test_the_small_scenario_is_valid(tmp_path):
    path, problems = _problems(tmp_path, small_yaml())
    assert problems == []
    assert load_scenario(path).id == "tiny"


@pytest.mark.parametrize(
    ("old", "new", "line_fragment", "field", "words"),
    [
        ("persona: stubborn", "persona: grumpy", "persona: grumpy", "persona",
         ["unknown persona 'grumpy'", "doubtful"]),
        ("techniques: [value_anchor]", "techniques: [roi_magic]", "roi_magic",
         "nodes.1.options.0.techniques.0", ["unknown technique 'roi_magic'", "value_anchor"]),
        ("effects: {value: 20}", "effects: {value: 45}", "value: 45",
         "nodes.1.options.0.effects.value", ["+45", "out of range", "at most 30"]),
        ("effects: {value: 20}", "effects: {valeu: 5}", "valeu", "nodes.1.options.0.effects.valeu",
         ["unknown state variable 'valeu'"]),
        ("families: [price]", "families: [budget]", "families", "families.0",
         ["unknown objection family 'budget'", "no_need"]),
        ("next: decide", "next: decdie", "next: decdie", "nodes.1.options.0.next",
         ["'decdie' does not exist"]),
        ("start: a", "start: z", "start: z", "start", ["start node 'z' does not exist"]),
        ("state: {trust: 50,", "state: {trust: 150,", "state:", "state.trust",
         ["150", "outside 0..100"]),
        ("      - next: stalled", "      - when: {trust: \">= 10\"}\n        next: stalled",
         "trust: \">= 10\"", "nodes.2.route.1", ["no route applies", "no `when:`"]),
    ],
)
def test_each_error_names_file_line_value_and_fix(tmp_path, old, new, line_fragment, field, words):
    text = small_yaml().replace(old, new, 1)
    assert text != small_yaml()
    path, problems = _problems(tmp_path, text)
    matching = [p for p in problems if p.field == field]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.file == str(path)
    expected_line = line_of(text, line_fragment)
    # a route entry is located at its list item; the fragment may be one line below
    assert problem.line in (expected_line, expected_line - 1)
    for word in words:
        assert word in problem.message, problem.message


def test_unreachable_node(tmp_path):
    text = small_yaml() + '  - id: orphan\n    say: "Nobody gets here."\n    ending: lost\n'
    path, problems = _problems(tmp_path, text)
    [p] = problems
    assert p.line == line_of(text, "id: orphan") and "unreachable node 'orphan'" in p.message


def test_dead_end(tmp_path):
    text = small_yaml().replace('  - id: lost\n    ending: lost\n', '  - id: lost\n')
    path, problems = _problems(tmp_path, text)
    [p] = problems
    assert p.line == line_of(text, "id: lost") and "dead end" in p.message
    assert "ending: won|next_step|stalled|lost" in p.message


def test_endings_missing(tmp_path):
    text = small_yaml()
    for ending in ("won", "stalled", "lost"):
        text = text.replace(f"    ending: {ending}\n", "    options:\n      - text: again\n"
                                                      "        techniques: [listen]\n"
                                                      "        next: a\n")
    _, problems = _problems(tmp_path, text)
    assert any("endings missing" in p.message for p in problems), problems


def test_loop_with_no_exit(tmp_path):
    text = small_yaml().replace(
        "        next: decide\n",
        "        next: spin\n", 1,
    ) + ('  - id: spin\n    say: "Again?"\n    options:\n      - text: "Again."\n'
         '        techniques: [listen]\n        next: spin2\n'
         '  - id: spin2\n    say: "Once more?"\n    options:\n      - text: "Back."\n'
         '        techniques: [listen]\n        next: spin\n')
    # decide is now reachable from nowhere: make "Sign now" go there so only the loop is wrong
    text = text.replace("        next: lost\n", "        next: decide\n", 1)
    text = text.replace('  - id: lost\n    ending: lost\n    say: "No."\n', "")
    _, problems = _problems(tmp_path, text)
    loops = [p for p in problems if "loop with no exit" in p.message]
    assert {p.line for p in loops} == {line_of(text, "id: spin"), line_of(text, "id: spin2")}, problems


def test_node_with_options_and_ending_is_rejected(tmp_path):
    text = small_yaml().replace('  - id: won\n    ending: won\n',
                                '  - id: won\n    ending: won\n    route:\n      - next: a\n')
    _, problems = _problems(tmp_path, text)
    assert any("route and ending" in p.message for p in problems), problems


def test_misspelt_field_and_bad_condition(tmp_path):
    text = small_yaml().replace("    say: \"And?\"", "    sya: \"And?\"").replace('">= 40"', '"about 40"')
    _, problems = _problems(tmp_path, text)
    fields = {p.field for p in problems}
    assert "nodes.1.sya" in fields and "nodes.1.say" in fields
    assert any("'about 40' is not a comparison" in p.message for p in problems)


def test_load_scenario_raises_with_every_problem(tmp_path):
    path = write(tmp_path, small_yaml(persona="grumpy").replace("[roi", "[x"))
    with pytest.raises(ContentError) as info:
        load_scenario(path)
    assert f"{path}:" in str(info.value) and "grumpy" in str(info.value)


def test_cli_validate_reports_file_line(tmp_path):
    from click.testing import CliRunner

    from salestrain.cli.main import main

    path = write(tmp_path, small_yaml(technique="magic"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{line_of(small_yaml(technique='magic'), '[magic]')}: nodes.0.options.1.techniques.0" in result.output
