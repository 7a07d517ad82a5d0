FROM python:3.11-slim
WORKDIR /srv
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 DATA_DIR=/data AUTH=required
COPY pyproject.toml README.md ./
COPY app ./app
COPY scripts ./scripts
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -e .
VOLUME ["/data"]
EXPOSE 8000
CMD ["bash", "scripts/serve"]
