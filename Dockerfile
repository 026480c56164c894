# The tracegraph service image. Run with a Neo4j server (see compose.yaml) or on the embedded store.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TRACEGRAPH_MEMORY_PATH=/data/graph.json \
    TRACEGRAPH_DOCUMENT_DIR=/data/documents

# fonts for the PDF evidence packs: Latin (DejaVu) and a CJK fallback, so names print as loaded
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/tracegraph
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph_schema ./graph_schema
COPY loaders ./loaders
RUN pip install --no-cache-dir . && useradd --system --home /data tracegraph && mkdir -p /data \
    && chown tracegraph /data

USER tracegraph
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz')" || exit 1
CMD ["tracegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
