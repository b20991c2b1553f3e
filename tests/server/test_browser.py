"""The web page in a real (headless) Chromium against a live server: ask and see a
cited answer, upload a file and see it listed, draft and receive a .docx."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import docx
import pytest

from server.app import create_app
from server.settings import Settings
from tests.conftest import ROOT
from tests.server.conftest import TOKEN, serve_live

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "test-artifacts"
UPLOAD_NAME = "桃源社区 浏览器上传测试.txt"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="Chromium and chromedriver are not installed (scripts/system-deps.sh installs them)",
    ),
]


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=zh-CN",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    # Headless Chromium only saves downloads where it is told to through DevTools.
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, condition, timeout: float = 90):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition)


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _wait_for_download(folder: Path, timeout: float = 90) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob("*.docx") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no .docx downloaded into {folder}: {list(folder.iterdir())}")


def test_page_chat_upload_and_draft(browser, real_services, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    settings = Settings(data_dir=real_services.settings.data_dir, api_token=TOKEN)
    app = create_app(settings=settings, services=real_services)
    kb = real_services.knowledge_base
    upload = tmp_path / UPLOAD_NAME
    upload.write_text(
        "桃源社区开展“银发守护”志愿服务\n桃源社区组织志愿者开展“银发守护”活动，上门探访独居老人。",
        encoding="utf-8",
    )
    try:
        with serve_live(app) as base:
            browser.get(base + "/")
            # The server wants a token: the page asks for it, then loads everything.
            token_bar = _wait(browser, ec.visibility_of_element_located((By.ID, "token-bar")))
            token_bar.find_element(By.ID, "token-input").send_keys(TOKEN)
            browser.find_element(By.ID, "token-save").click()
            _wait(
                browser,
                lambda d: (
                    len(d.find_elements(By.CSS_SELECTOR, "#doc-table tbody tr[data-doc-id]")) == 5
                ),
            )
            assert "知识库与公文起草助手" in browser.title

            # Ask: the answer streams in with clickable citations.
            box = browser.find_element(By.ID, "chat-input")
            box.send_keys("湖北路街道如何开展“五星”支部创建？")
            browser.find_element(By.ID, "chat-send").click()
            answer = _wait(
                browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".msg.answer.complete"))
            )
            assert "出错了" not in answer.text
            citations = answer.find_elements(By.CSS_SELECTOR, ".citation")
            assert citations, answer.text
            citations[0].click()
            passage = _wait(
                browser,
                ec.visibility_of_element_located((By.CSS_SELECTOR, "#source-body .passage")),
            )
            assert len(passage.text) > 10
            _shot(browser, "page-chat")

            # Upload: the job's progress shows, then the file is in the list.
            browser.find_element(By.ID, "upload-input").send_keys(str(upload))
            browser.find_element(By.ID, "upload-button").click()
            _wait(
                browser,
                ec.presence_of_element_located(
                    (By.CSS_SELECTOR, '#job-status .job-line[data-status="done"]')
                ),
            )
            _wait(
                browser,
                lambda d: "银发守护" in d.find_element(By.ID, "doc-table").text,
            )
            assert "新增 1" in browser.find_element(By.ID, "job-status").text
            _shot(browser, "page-upload")

            # Draft: fill the form, receive the .docx.
            Select(browser.find_element(By.ID, "draft-type")).select_by_value("work-summary")
            browser.find_element(By.ID, "draft-unit").send_keys("洛阳市涧西区")
            browser.find_element(By.ID, "draft-period").send_keys("2018年")
            browser.find_element(By.ID, "draft-topic").send_keys("基层党建")
            browser.find_element(By.ID, "draft-submit").click()
            _wait(browser, lambda d: "已生成" in d.find_element(By.ID, "draft-status").text)
            saved = _wait_for_download(browser.downloads)
            assert saved.name.endswith(".docx") and "涧西区" in saved.name
            text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
            assert saved.stem in text  # the title
            _shot(browser, "page-draft")
    finally:
        # The shared knowledge base is read-only for other tests: take the upload out again.
        for record in kb.documents():
            if record.source_key == UPLOAD_NAME:
                kb.remove(record.doc_id)


def test_page_proofread_panel(browser, tmp_path) -> None:
    """文稿审校: choose a .docx, see the findings listed, download the commented copy."""
    from selenium.webdriver.common.by import By

    from tests.drafting.proofread.docx_variants import render_document
    from tests.server.conftest import make_fake_services

    settings = Settings(data_dir=tmp_path / "data")
    app = create_app(settings=settings, services=make_fake_services(settings))
    upload = tmp_path / "季度总结.docx"
    upload.write_bytes(
        render_document(
            "湖北路街道2022年第三季度工作总结",
            (("一、基本情况", ((0, "截止2022年9月,社区共有党员126名。"),)),),
        )
    )
    with serve_live(app) as base:
        browser.get(base + "/")
        browser.find_element(By.ID, "proofread-figures").click()  # no index behind the fakes
        browser.find_element(By.ID, "proofread-file").send_keys(str(upload))
        browser.find_element(By.ID, "proofread-submit").click()
        _wait(browser, lambda d: "审校完成" in d.find_element(By.ID, "proofread-status").text)
        findings = browser.find_element(By.ID, "proofread-findings").text
        assert "截至" in findings and "错误" in findings
        _shot(browser, "page-proofread")
        browser.find_element(By.ID, "proofread-download").click()
        saved = _wait_for_download(browser.downloads)
        assert "审校意见" in saved.name
        assert list(docx.Document(str(saved)).comments)


def test_page_chooses_knowledge_bases(browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    from answer import ExtractiveGenerator
    from server.services import Services
    from tests.conftest import CORPUS_DIR, POLICY_DIR
    from tests.fakes import HashingEmbedder

    embedder = HashingEmbedder()
    settings = Settings(data_dir=tmp_path / "data")
    services = Services(settings, embedder=embedder, generator=ExtractiveGenerator(embedder))
    services.registry.create("news", title="工作材料")
    services.registry.create("policy", title="政策法规")
    services.registry.get("news").ingest([CORPUS_DIR])
    services.registry.get("policy").ingest([POLICY_DIR])
    rows = "#doc-table tbody tr[data-doc-id]"
    with serve_live(create_app(settings=settings, services=services)) as base:
        browser.get(base + "/")
        bar = _wait(browser, ec.visibility_of_element_located((By.ID, "kb-bar")))
        # Both knowledge bases are asked by default.
        _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 11)
        boxes = bar.find_elements(By.CSS_SELECTOR, "input[data-kb]")
        assert [(b.get_attribute("data-kb"), b.is_selected()) for b in boxes] == [
            ("news", True),
            ("policy", True),
        ]
        assert "工作材料" in bar.text and "政策法规" in bar.text
        boxes[1].click()  # untick 政策法规: only the news remain
        _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 5)
        target = Select(browser.find_element(By.ID, "upload-kb"))
        assert [o.text for o in target.options] == ["工作材料", "政策法规"]
        _shot(browser, "page-knowledge-bases")


def test_a_statute_citation_opens_the_whole_article(browser, real_embedder, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from answer import ExtractiveGenerator
    from server.services import Services
    from tests.conftest import POLICY_DIR

    # One statute (23 articles) with the real model: the answer must pass answerability.
    folder = tmp_path / "policy"
    folder.mkdir()
    law = "中华人民共和国城市居民委员会组织法.md"
    shutil.copy(POLICY_DIR / law, folder / law)
    settings = Settings(data_dir=tmp_path / "data")
    services = Services(
        settings, embedder=real_embedder, generator=ExtractiveGenerator(real_embedder)
    )
    services.registry.create("policy", title="政策法规")
    services.registry.get("policy").ingest([folder])
    with serve_live(create_app(settings=settings, services=services)) as base:
        browser.get(base + "/")
        box = _wait(browser, ec.element_to_be_clickable((By.ID, "chat-input")))
        box.send_keys("居民委员会每届任期几年？成员能不能连选连任？")
        browser.find_element(By.ID, "chat-send").click()
        answer = _wait(
            browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".msg.answer.complete"))
        )
        citations = answer.find_elements(By.CSS_SELECTOR, ".citation")
        assert citations, answer.text
        citations[0].click()
        article = _wait(
            browser,
            ec.visibility_of_element_located((By.CSS_SELECTOR, "#source-body .article-text")),
        )
        heading = browser.find_element(By.CSS_SELECTOR, "#source-body .article h4").text
        assert heading.startswith("条文全文：《") and heading.endswith("条"), heading
        cited = article.find_element(By.CSS_SELECTOR, "mark.cited").text
        passage = browser.find_element(By.CSS_SELECTOR, "#source-body .passage").text
        # The cited passage is marked inside its whole article, which opens with its label.
        assert cited and cited in article.text
        assert article.text.startswith(heading.rsplit("》", 1)[1])
        assert passage.strip("…")[:10] in article.text
        assert "null" not in browser.find_element(By.ID, "source-body").text
        _shot(browser, "page-article")
