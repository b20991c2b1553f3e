"""Boilerplate removal on the five sample articles: the noise goes, the body stays.

For each seed the noise is labelled by hand below (lines holding one of the
strings); everything else in the file is body. The cleaned text must contain
none of the noise and at least 90% of the body's characters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import clean_text

NOISE = {
    "000": [],
    "001": [
        "文/中共洛阳市涧西区委组织部",  # byline: metadata, not body
        "武汉路社区党委开展庆祝建党97周年文艺汇演",  # photo captions
        "爱在重阳,幸福久久”文艺汇演",
        "在“三新”讲习所开展活动",
        "共忆入党初心”活动",
        "武汉路社区党建展厅",
    ],
    "002": [
        "区、街领导参与党建服务项目推介发布仪式",
        "2018年度区域化党建合伙人履新签约仪式",
        "组织区域化党建红盟服务圈成员观摩学习",
        "唱响红色记忆 舞动红色旋律",
        "党贺董 董丽霞 韩海燕",
        "东风路街道“壹号工厂”党群服务中心",
    ],
    "003": [
        "小区的居民心愿墙。",
        "西工区委宣传部供图",
        "■中国城市报记者 张永超",
        "北京建外街道拆除“老赖”违建",  # the unrelated Beijing article, title to credit
        "北京市朝阳区建外街道",
        "一层是美食广场",
        "摄影报道",
    ],
    "004": [
        "洛阳网首页",
        "偃师 | 孟津",
        "您当前位置",
        "百姓呼声",
        "精彩图片",
        "新闻排行",
        "•",
        "用户名",
        "验证码",
        "许可证",
        "举报电话",
        "邮编",
        "法律顾问",
    ],
}

# Strings that must be gone from the cleaned text even where they are substrings.
ABSENT = {
    "000": [],
    "001": ["文/", "文艺汇演\n", "党建展厅"],
    "002": ["推介发布仪式", "签约仪式", "观摩学习\n", "党贺董", "壹号工厂"],
    "003": ["建外街道", "朝阳区", "老赖", "西工区委宣传部供图", "张永超", "邢 灿", "心愿墙"],
    "004": [
        "洛阳网首页",
        "嵩县",
        "栾川",
        "您当前位置",
        "新闻排行",
        "沉浸式看展",
        "院士加持",
        "樱桃红了",
        "【组图】",
        "诚邀通讯员",
        "用户名",
        "密码",
        "验证码",
        "许可证",
        "举报电话",
        "法律顾问",
        "律师事务所",
        "邮编",
    ],
}

# Body structure that the rules must not mistake for noise.
PRESENT = {
    "000": [
        "洛阳市洛龙区开元路街道党工委：以高效能治理助推高质量发展",
        "——以“开放”姿态凝聚力量，激发基层组织新活力。",
        "筑牢红色堡垒 激发城市党建原动力",
        "叫响红色品牌 开创街道工作新局面",
    ],
    "001": [
        "洛阳市涧西区委书记温清到武汉路街道办事处武汉路社区调研城市基层党建工作",
        "一、压实工作责任,夯实城市基层党建工作基础",
        "(一)做好顶层设计。",
        "三、创新思路理念,打造城市基层党建新“样板”",
        "形成以社区党委为主导、居民群众、物业公司多方参与社区治理的共治格局。",
    ],
    "002": [
        "红色引擎促区域融合 浩荡东风催朝夕前行",
        "——金水区东风路街道以高质量党建促高质量发展工作纪实",
        "突显政治功能 推进基层党建系统化",
        "——夯机制,锁紧工作运行的“大轴承”。",
        # broken across blank lines in the source, rejoined
        "时过境迁,如今的东风路街道是有着12.8万常住人口",
        "团结凝聚辖区12万党员群众共谱新时代答卷。",
    ],
    "003": [
        "河南省洛阳市西工区： 基层党建引领保障 城市治理提质增效",
        "创新自治 凝聚民心办实事",
        "组织联动 “1带N”引领效果显著",
        "由于开发商跑路、开发公司注销，房产证办理一度成了“死结”。",
        "不仅积极创新“党建+电商直播”融合发展新模式",
        "融入城市发展“朋友圈”。",
    ],
    "004": [
        "湖北路街道以党建高质量发展引领“五星”支部创建工作",
        "党建“树星”:回应关切、服务问效",
        "党建“创星”:文化注入、内涵发展",
        "湖北路街道党工委工作者们纷纷表示。 (涧宣)",
    ],
}


def _seed(corpus_dir: Path, seed: str) -> str:
    (path,) = corpus_dir.glob(f"{seed}_*.txt")
    return path.read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"[\s#]", "", text)


@pytest.fixture(scope="module")
def cleaned(corpus_dir: Path) -> dict[str, str]:
    return {seed: clean_text(_seed(corpus_dir, seed), fmt="txt") for seed in NOISE}


@pytest.mark.parametrize("seed", sorted(NOISE))
def test_noise_is_gone(cleaned: dict[str, str], corpus_dir: Path, seed: str) -> None:
    text = cleaned[seed]
    for noise in ABSENT[seed]:
        assert noise not in text, noise
    squashed = _squash(text)
    for line in _seed(corpus_dir, seed).splitlines():
        if any(marker in line for marker in NOISE[seed]):
            assert _squash(line) not in squashed, line


@pytest.mark.parametrize("seed", sorted(NOISE))
def test_body_is_intact(cleaned: dict[str, str], corpus_dir: Path, seed: str) -> None:
    text = cleaned[seed]
    for body in PRESENT[seed]:
        assert body in text, body
    body_lines = [
        line
        for line in _seed(corpus_dir, seed).splitlines()
        if line.strip() and not any(marker in line for marker in NOISE[seed])
    ]
    squashed = _squash(text)
    body_chars = sum(len(_squash(line)) for line in body_lines)
    kept_chars = sum(len(_squash(line)) for line in body_lines if _squash(line) in squashed)
    assert kept_chars / body_chars >= 0.9, (kept_chars, body_chars)


@pytest.mark.parametrize("seed", sorted(NOISE))
def test_cleaning_is_idempotent(cleaned: dict[str, str], seed: str) -> None:
    assert clean_text(cleaned[seed], fmt="txt") == cleaned[seed]


def test_navigation_breadcrumb_and_footer_lines_in_isolation() -> None:
    body = "社区组织党员志愿者开展环境整治活动，清理卫生死角35处，受到居民好评。"
    text = "\n".join(
        [
            "首页 | 新闻中心 | 政务公开 | 办事服务 | 互动交流",
            "您现在的位置：首页 > 工作动态",
            "社区开展环境整治",
            body,
            "责任编辑：王五",
            "相关新闻",
            "· 街道召开安全生产工作会议",
            "· 社区开展消防演练",
            "版权所有：某某街道办事处 备案号：豫ICP备12345678号",
        ]
    )
    assert clean_text(text, fmt="txt").split("\n") == ["社区开展环境整治", body]


def test_a_sentence_that_mentions_a_licence_is_body() -> None:
    text = "社区服务指南\n居民办理营业执照和卫生许可证时，社区工作人员提供全程代办服务，并公布举报电话接受监督。"
    assert clean_text(text, fmt="txt") == text


def test_office_formats_are_only_normalised() -> None:
    text = "表格\n姓名 性别 年龄 单位\n张三 男 45 社区\n"
    assert clean_text(text, fmt="docx") == "表格\n姓名 性别 年龄 单位\n张三 男 45 社区"
