"""Fixture builders: every test file is generated at test time, none is committed.

Office files come from python-docx; PDF and .doc are LibreOffice conversions of
a generated .docx (skipped with a reason where LibreOffice is not installed).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

# Text with the characters that encodings get wrong: "——" (GB2312 loses it),
# full-width punctuation, curly quotes, digits.
SAMPLE_TEXT = (
    "湖北路街道以党建高质量发展引领“五星”支部创建工作\n"
    "——以“开放”姿态凝聚力量，激发基层组织新活力。\n"
    "该街道七二五社区常住居民3400余人，其中60岁以上的老人超过1/3。\n"
)

DOCX_TITLE = "涧西区2023年第三季度工作总结"
DOCX_PARAGRAPHS = (
    "今年以来，涧西区坚持党建引领，建立网格党支部238个，楼栋党小组262个，"
    "初步形成了“社区党组织+网格党支部+楼栋党小组”的三级组织构架。",
    "湖北路街道完成了一个街道级2000平米和七个社区级500平米的养老阵地建设。",
    "部分社区服务阵地面积不足——下一步将统筹辖区资源加以解决。",
)
DOCX_TABLE = (("社区", "党员数", "网格数"), ("武汉路社区", "320", "12"), ("天四社区", "215", "9"))

NEWS_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>湖北路街道以党建高质量发展引领“五星”支部创建工作_洛阳网</title></head>
<body>
<div class="nav"><a href="/">洛阳网首页</a> <a href="/news">新闻</a> <a href="/xq">县区</a>
<a href="/bx">百姓呼声</a> <a href="/dzb">电子报</a></div>
<div class="crumb">您当前位置: <a href="/">洛阳网</a> &gt;&gt; <a href="/xq">县区频道</a> &gt;&gt; 正文</div>
<div class="article">
<h1>湖北路街道以党建高质量发展引领“五星”支部创建工作</h1>
<div class="info">通讯员: 马瑞 2022年09月14日 09:50</div>
<p>自省委、市委、区委启动“五星”支部创建工作以来，湖北路街道党工委高位谋划、高标推进、高质统筹，以党建高质量发展引领“五星”支部创建工作。</p>
<p>党建“树星”:回应关切、服务问效</p>
<p>该街道七二五社区是一个以科研单位在职与离退休职工以及其家属为主的单位制社区，常住居民3400余人，其中60岁以上的老人超过1/3，“养老”现实化需求日渐突出。</p>
<p>今年，七二五社区以创建“四星”支部为契机，形成四维联动的治理模式，建成了名厨亮灶的“花园餐厅”，解决了群众期盼的“一号清单”和现实需求。</p>
</div>
<div class="rank"><h3>新闻排行</h3><ul>
<li><a href="/1">沉浸式看展、穿越式夜游……洛阳热门景区多项活动...</a></li>
<li><a href="/2">孟津区:桐花烂漫 景色如画【组图】</a></li>
<li><a href="/3">院士加持!36项零碳动力技术成果在洛发布</a></li>
</ul></div>
<div class="login">县区频道登录 用户名: <input> 密码: <input></div>
<div class="footer"><p>互联网新闻信息服务许可证 编号:4112012002 不良信息举报电话:(0379)65233605</p>
<p>本站法律顾问 河南法铎律师事务所</p></div>
</body></html>
"""


def build_docx(*, title: str = DOCX_TITLE) -> bytes:
    """A .docx with a title, headings (two levels), body paragraphs and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_heading("一、主要做法及成效", level=1)
    document.add_paragraph(DOCX_PARAGRAPHS[0])
    document.add_heading("（一）强化组织建设", level=2)
    document.add_paragraph(DOCX_PARAGRAPHS[1])
    table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for r, row in enumerate(DOCX_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("二、存在问题", level=1)
    document.add_paragraph(DOCX_PARAGRAPHS[2])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_zip_bomb(*, part_size: int = 32 * 2**20) -> bytes:
    """A .docx-shaped zip whose document.xml inflates ~1000x (zeros compress that well)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * 2**20
            for _ in range(part_size // len(block)):
                part.write(block)
    return buffer.getvalue()


def soffice_convert(source: Path, target_format: str, out_dir: Path) -> Path:
    """Convert with LibreOffice (private profile), or skip the test saying why."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    profile = (out_dir / "lo-profile").as_uri()
    result = subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    produced = out_dir / (source.stem + "." + target_format.split(":")[0])
    if result.returncode != 0 or not produced.exists():
        pytest.fail(f"LibreOffice conversion failed: {result.stderr.decode(errors='replace')}")
    return produced
