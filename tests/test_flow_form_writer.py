"""The form's draft written back as a flow file: tables the admin did not touch are copied as
written, a changed table keeps its unchanged lines and comments, awkward texts survive, and
a file in an unusual layout (dotted keys, one [choice_sets] table) is still written right."""

from __future__ import annotations

import copy
import difflib
import tomllib

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.flow_admin.toml_writer import split, write
from flows.loader import parse_flow

MAU01 = (DEFAULT_FLOWS / "mau01.toml").read_text(encoding="utf-8")
DESK = (DEFAULT_FLOWS / "desk.toml").read_text(encoding="utf-8")


def changes(before: str, after: str) -> list[str]:
    return [
        row
        for row in difflib.ndiff(before.splitlines(), after.splitlines())
        if row.startswith(("- ", "+ "))
    ]


def test_only_the_changed_lines_change_and_comments_stay() -> None:
    data = tomllib.loads(MAU01)
    edited = copy.deepcopy(data)
    edited["flow"]["title"]["vi"] = "Phiếu khảo sát (Mẫu 01) của xã"
    edited["choice_sets"]["scale"]["choices"][2]["label"]["vi"] = "Trung bình"
    edited["questions"][3]["required"] = False
    written = write(edited, MAU01)
    assert tomllib.loads(written) == edited
    assert changes(MAU01, written) == [
        '- title = { vi = "Phiếu khảo sát sự hài lòng của người dân (Mẫu 01)",'
        ' en = "Citizen satisfaction survey (Form 01)" }',
        '+ title = { vi = "Phiếu khảo sát (Mẫu 01) của xã", en = "Citizen satisfaction survey'
        ' (Form 01)" }',
        '-   { value = 3, label = { vi = "Bình thường", en = "Neutral" } },',
        '+   { value = 3, label = { vi = "Trung bình", en = "Neutral" } },',
        "+ required = false",
    ]
    assert "# the default of its form for units that pick no flow" in written
    assert write(data, MAU01) == MAU01


def test_awkward_texts_read_back_exactly() -> None:
    edited = tomllib.loads(DESK)
    typed = 'Quý "khách" C:\\thư mục\tcó tab\nhai dòng \x7f và 🙂'
    edited["questions"][0]["text"]["vi"] = typed
    written = write(edited, DESK)
    assert parse_flow(written).questions[0].text.get("vi") == typed


def test_a_new_kind_of_table_goes_before_the_questions() -> None:
    edited = tomllib.loads(DESK)
    edited["sections"] = [{"id": "quay", "title": {"vi": "Tại quầy"}}]
    edited["questions"][0]["section"] = "quay"
    written = write(edited, DESK)
    preamble, blocks = split(written)
    assert preamble.startswith("# The desk rating")
    paths = [b.path for b in blocks]
    assert paths.index(("sections", 0)) == paths.index(("questions", 0)) - 1
    assert parse_flow(written).questions[0].section == "quay"


def test_an_unusual_layout_is_still_written_right() -> None:
    scale = "\n".join(f'  {{ value = {n}, label = "Mức {n}" }},' for n in range(1, 6))
    unusual = (
        '[flow]\nkey = "x"\nform = "desk"\ntitle = "Thử"\n'
        "[texts]\n"
        + "".join(
            f'{k} = "{k}"\n'
            for k in ("intro", "consent", "declined", "comment", "complaint_offer", "complaint")
        )
        + 'thanks.vi = "Cảm ơn"\n'
        + f"[choice_sets]\nscale.choices = [\n{scale}\n]\n"
        + '[[questions]]\nid = "a"\nchoices = "scale"\ntext = "Câu a"\n'
    )
    data = tomllib.loads(unusual)
    edited = copy.deepcopy(data)
    edited["choice_sets"]["scale"]["choices"][0]["label"] = "Rất kém"
    edited["texts"]["thanks"]["en"] = "Thanks"
    written = write(edited, unusual)
    assert tomllib.loads(written) == edited
    assert parse_flow(written).questions[0].choice_set.choices[0].label.get("vi") == "Rất kém"
