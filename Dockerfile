# attnviz in a container: the app on port 8501, CPU only, nothing fetched at run time.
# Build: docker build -t attnviz .   Run: docker run -p 8501:8501 attnviz
# Several containers behind a balancer with cookie affinity: docs/DEPLOY.md.
FROM python:3.11-slim-bookworm

# ATTNVIZ_MODEL_ROOTS empty: a shared server loads no model folders named in the browser.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ATTNVIZ_MODEL_ROOTS=""

# Chromium draws the PNG and SVG downloads (kaleido drives Debian's browser).
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app and the package with its shipped weights; nothing else of the checkout.
COPY app.py ./
COPY .streamlit .streamlit
COPY pages pages
COPY attnviz attnviz

RUN useradd --create-home --uid 10001 attnviz
USER attnviz

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 CMD \
    python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"
# 0.0.0.0 inside the container; publish the port only where students should reach it.
CMD ["python", "-m", "attnviz", "app", "--server.address", "0.0.0.0", "--server.port", "8501"]
