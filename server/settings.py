"""Every setting of the assistant, read once from the environment (prefix ``KB_``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from ingest import OcrOptions


class Settings(BaseSettings):
    """Settings for the CLI and the server. Only ``server/`` reads the environment."""

    model_config = SettingsConfigDict(env_prefix="KB_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="Where the index and the prepared model live."
    )
    model_path: Path | None = Field(
        default=None,
        description="A local sentence-transformers folder; default: the prepared e5 model.",
    )
    embedding_base_url: str | None = Field(
        default=None,
        description="An OpenAI-compatible /v1/embeddings endpoint instead of the local model.",
    )
    embedding_model: str = "multilingual-e5-small"
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        default="auto",
        description="The local model's compute dtype; auto = bfloat16 where the CPU has it.",
    )
    embedding_api_key: str | None = None

    chroma_url: str | None = Field(
        default=None, description="http://host:port of a `chroma run` server."
    )
    knowledge_base: str | None = Field(
        default=None,
        description="The knowledge base commands write to (and read, when set); "
        "default: the one named kb.",
    )

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(
        default=60.0,
        gt=0,
        description="Seconds to wait for the model's first (or next) token before the "
        "extractive answer is used instead.",
    )
    # answer.openai_generator.PROMPT_TOKENS_DEFAULT, where the measurement is (not
    # imported: settings load before the heavy packages)
    llm_prompt_tokens: int = Field(
        default=600,
        ge=200,
        description="Token budget of a chat prompt: the passages go in best first until "
        "it is spent. The default suits a 1.5B model on 2 CPU cores; raise it for a "
        "faster model or machine.",
    )
    llm_max_tokens: int = Field(
        default=300,
        ge=16,
        description="The most tokens an answer (or a rewritten draft section) may take.",
    )

    api_token: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    max_upload_mb: int = 50
    ingest_roots: list[Path] = Field(default_factory=list)

    chunk_size: int = 400
    chunk_overlap: int = 60

    ocr_enabled: bool = Field(
        default=True, description="OCR scanned PDF pages and images (off: they are skipped)."
    )
    ocr_languages: str | None = Field(
        default=None,
        description="Tesseract's -l value; default chi_sim (+chi_sim_vert when installed).",
    )
    ocr_dpi: int = Field(
        default=0,
        ge=0,
        le=1200,
        description="Upsample scans below this resolution before OCR (0: read as scanned).",
    )
    ocr_page_timeout: float = Field(
        default=180.0, gt=0, description="Seconds one page may take before OCR skips it."
    )
    ocr_jobs: int = Field(default=1, ge=1, description="Pages OCRed in parallel.")

    @field_validator("chunk_size")
    @classmethod
    def _chunk_size_sane(cls, value: int) -> int:
        if not 100 <= value <= 4000:
            raise ValueError("chunk_size must be between 100 and 4000 characters")
        return value

    @field_validator("api_token")
    @classmethod
    def _token_not_trivial(cls, value: str | None) -> str | None:
        if value is not None and value != "" and len(value) < 8:
            raise ValueError("KB_API_TOKEN must be at least 8 characters")
        return value or None

    @property
    def ocr_options(self) -> OcrOptions:
        """The ``KB_OCR_*`` settings as the options ingest reads scans with."""
        from ingest import OcrOptions

        return OcrOptions(
            enabled=self.ocr_enabled,
            languages=self.ocr_languages or None,
            dpi=self.ocr_dpi,
            page_timeout=self.ocr_page_timeout,
            jobs=self.ocr_jobs,
        )

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
