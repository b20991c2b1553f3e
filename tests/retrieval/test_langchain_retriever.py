"""The LangChain adapter, used inside a small chain with a fake LLM (no network)."""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.language_models.fake import FakeListLLM
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from retrieval.langchain_retriever import KnowledgeBaseRetriever
from retrieval.search import HybridSearcher
from retrieval.types import SearchFilters
from tests.retrieval.memory_kb import CHUNKS, MemoryKB


def format_docs(docs: list[Document]) -> str:
    return "\n".join(f"[{d.metadata['title']}] {d.page_content}" for d in docs)


def test_retriever_returns_documents_with_our_metadata():
    searcher = HybridSearcher(MemoryKB(CHUNKS))
    retriever = KnowledgeBaseRetriever(searcher=searcher, k=3)
    docs = retriever.invoke("东风路街道常住人口")
    hits = searcher.search("东风路街道常住人口", k=3)
    assert [d.page_content for d in docs] == [h.text for h in hits]
    meta = docs[0].metadata
    assert meta["chunk_id"] == hits[0].chunk_id == docs[0].id
    assert meta["source_key"] == hits[0].source_key
    assert meta["heading_path"] == list(hits[0].heading_path)
    assert meta["score"] == hits[0].score and meta["retrievers"] == list(hits[0].retrievers)


def test_retriever_passes_mode_and_filters_through():
    retriever = KnowledgeBaseRetriever(
        searcher=HybridSearcher(MemoryKB(CHUNKS)),
        mode="bm25",
        filters=SearchFilters(regions=("西工区",)),
    )
    docs = retriever.invoke("楼宇经济 党支部")
    assert docs and {d.metadata["doc_id"] for d in docs} == {"west"}
    assert all(d.metadata["retrievers"] == ["bm25"] for d in docs)


def test_retriever_works_inside_a_chain():
    prompts: list[str] = []

    def capture(prompt_value):
        prompts.append(prompt_value.to_string())
        return prompt_value

    retriever = KnowledgeBaseRetriever(searcher=HybridSearcher(MemoryKB(CHUNKS)), k=2)
    prompt = PromptTemplate.from_template("根据材料回答。\n材料：\n{context}\n问题：{question}")
    llm = FakeListLLM(responses=["东风路街道引进了总部企业。"])
    chain = (
        {"context": retriever | format_docs, "question": RunnablePassthrough()}
        | prompt
        | RunnableLambda(capture)
        | llm
        | StrOutputParser()
    )
    answer = chain.invoke("东风路街道怎样打造楼宇经济")
    assert answer == "东风路街道引进了总部企业。"
    assert "问题：东风路街道怎样打造楼宇经济" in prompts[0]
    assert "东风路街道引进总部企业，打造楼宇经济" in prompts[0]
