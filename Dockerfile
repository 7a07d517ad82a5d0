FROM python:3.11-slim
WORKDIR /srv
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 DATA_DIR=/data AUTH=required
COPY pyproject.toml README.md ./
COPY app ./app
COPY scripts ./scripts
# everything is installed here, at build time: starting the image needs no network and no installer
RUN bash scripts/install && rm -rf /root/.cache/pip
VOLUME ["/data"]
EXPOSE 8000
# the API (scripts/serve finds .venv built and installs nothing); a worker: `python -m app worker`
CMD ["bash", "scripts/serve"]
