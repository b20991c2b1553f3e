"""Government-style .docx files with tables, and the rows a reader should get back.

Shared by ``bench/pdf_tables.py`` (which library reads PDF tables best) and the
table tests: each builder returns the .docx bytes and the expected rows of each
table, cells in order. Expected semantics, the same for every reader measured:
a cell merged across columns appears once; a cell merged down several rows is
repeated in each of them (a row must make sense alone in a chunk); a header row
that the layout repeats on every page appears once.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

STREETS = ("湖北路街道", "武汉路街道", "天津路街道", "长春路街道")
COMMUNITIES = (
    "七二五社区", "武汉路社区", "天四社区", "广州市场社区", "青岛路社区", "南昌路社区",
    "西苑社区", "珠江路社区", "河南科大社区", "国花园社区", "中泰社区", "长安路社区",
)  # fmt: skip
NOTES = (
    "",
    "含临时救助",
    "新增低保户3户，退出2户",
    "按季度复核，动态管理",
    "重点关注独居老人和残疾人家庭",
    "因病致贫家庭纳入监测范围，已落实医疗救助",
)


@dataclass(frozen=True)
class TableDoc:
    """A generated document: its .docx bytes and the expected rows of each table."""

    name: str
    docx: bytes
    tables: tuple[tuple[tuple[str, ...], ...], ...]


def _set_cell(cell, text: str) -> None:
    cell.text = text


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    tr_pr.append(flag)


def _document(title: str):
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    document.add_heading(title, level=1)
    document.add_paragraph(
        "为全面掌握辖区社会救助工作情况，现将有关统计数据汇总如下，请各社区认真核对，"
        "如有出入请于本月底前报街道民政办。"
    )
    return document


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def merged_header_table(seed: int = 1) -> TableDoc:
    """Two header rows (a cell merged across two columns) and a street column merged down."""
    rng = random.Random(seed)
    document = _document("关于2023年第三季度低保发放情况的通报")
    document.add_paragraph("附件：各社区低保发放情况统计表")
    body: list[tuple[str, ...]] = []
    streets = [(STREETS[i], COMMUNITIES[i * 3 : i * 3 + 3]) for i in range(4)]
    n_rows = 2 + sum(len(c) for _s, c in streets)
    table = document.add_table(rows=n_rows, cols=6)
    table.style = "Table Grid"
    top = ("街道", "社区", "低保对象", "", "发放金额（元）", "备注")
    sub = ("", "", "户数", "人数", "", "")
    for c, text in enumerate(top):
        _set_cell(table.cell(0, c), text)
    for c, text in enumerate(sub):
        if text:
            _set_cell(table.cell(1, c), text)
    table.cell(0, 2).merge(table.cell(0, 3))
    for c in (0, 1, 4, 5):
        table.cell(0, c).merge(table.cell(1, c))
    row = 2
    for street, communities in streets:
        first = row
        for community in communities:
            households = rng.randint(12, 80)
            people = households + rng.randint(5, 60)
            amount = f"{people * rng.randint(520, 640):,}"
            note = rng.choice(NOTES)
            for c, text in enumerate(
                ("", community, str(households), str(people), amount, note), start=0
            ):
                if c:
                    _set_cell(table.cell(row, c), text)
            body.append((street, community, str(households), str(people), amount, note))
            row += 1
        table.cell(first, 0).merge(table.cell(row - 1, 0))
        _set_cell(table.cell(first, 0), street)
    document.add_paragraph("以上数据由各社区填报，街道民政办汇总。")
    expected = (
        ("街道", "社区", "低保对象", "发放金额（元）", "备注"),
        ("街道", "社区", "户数", "人数", "发放金额（元）", "备注"),
        *(tuple(cell for cell in r if cell) for r in body),
    )
    return TableDoc("merged_header", _save(document), (expected,))


def long_table(rows: int = 140, seed: int = 2) -> TableDoc:
    """A register several pages long whose header row repeats on every page."""
    rng = random.Random(seed)
    document = _document("2023年度辖区困难群众走访登记表")
    header = ("序号", "社区", "姓名", "走访日期", "困难类型", "帮扶措施")
    table = document.add_table(rows=rows + 1, cols=len(header))
    table.style = "Table Grid"
    for c, text in enumerate(header):
        _set_cell(table.cell(0, c), text)
    _repeat_header(table.rows[0])
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "建国秀英志强丽华海燕文明桂兰玉梅德胜红霞春生"
    kinds = ("低保", "特困", "残疾", "独居老人", "重病")
    measures = (
        "送米面油", "联系医疗救助", "落实临时救助金1500元", "安排志愿者每周上门",
        "协助申请公租房", "对接就业岗位", "",
    )  # fmt: skip
    expected = [header]
    for r in range(1, rows + 1):
        name = rng.choice(surnames) + "".join(rng.sample(given, 2))
        row = (
            str(r),
            rng.choice(COMMUNITIES),
            name,
            f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(kinds),
            rng.choice(measures),
        )
        for c, text in enumerate(row):
            if text:
                _set_cell(table.cell(r, c), text)
        expected.append(tuple(cell for cell in row if cell))
    document.add_paragraph("走访情况每月汇总一次。")
    return TableDoc("long_table", _save(document), (tuple(expected),))


def wrapped_cells_table(seed: int = 3) -> TableDoc:
    """Cells whose text wraps over several lines (a task list in a work plan)."""
    rng = random.Random(seed)
    document = _document("网格化服务管理重点任务分工表")
    header = ("序号", "重点任务", "牵头单位", "完成时限")
    tasks = (
        "完善网格党支部设置，推动党员到社区报到并认领服务岗位，每月开展一次主题党日活动",
        "开展老旧小区加装电梯意见征集，做好群众工作，化解邻里矛盾纠纷",
        "建立独居老人定期探访制度，落实“一老一档”，确保每周至少上门一次",
        "推进垃圾分类督导，组织志愿者在投放点值守，做好宣传引导",
        "排查消防安全隐患，重点检查电动自行车违规停放充电问题",
        "做好居住证办理和流动人口信息登记，及时更新网格基础数据",
    )
    units = ("街道党工委", "街道办事处", "民政办", "城管办", "应急办", "综治中心")
    table = document.add_table(rows=len(tasks) + 1, cols=len(header))
    table.style = "Table Grid"
    widths = (0.5, 4.0, 1.2, 1.0)
    from docx.shared import Inches

    for c, text in enumerate(header):
        _set_cell(table.cell(0, c), text)
    expected = [header]
    for r, task in enumerate(tasks, start=1):
        row = (str(r), task, rng.choice(units), f"2023年{rng.randint(6, 12)}月底")
        for c, text in enumerate(row):
            _set_cell(table.cell(r, c), text)
        expected.append(row)
    for row_obj in table.rows:
        for c, cell in enumerate(row_obj.cells):
            cell.width = Inches(widths[c])
    return TableDoc("wrapped_cells", _save(document), (tuple(expected),))


def all_docs() -> list[TableDoc]:
    """Every generated document, in a fixed order."""
    return [merged_header_table(), long_table(), wrapped_cells_table()]
