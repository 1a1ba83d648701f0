# Infobus: gunicorn behind WhiteNoise, as a non-root user.
# Build: docker build -t infobus .   Run: see compose.yaml (adds PostgreSQL).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

FROM base AS build
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt
COPY . .
# Catalogues and static files are built once, at image build time, with throwaway settings.
RUN DEBUG=0 SECRET_KEY=build-only /venv/bin/python manage.py compilemessages --ignore=.venv -v 0 \
    && DEBUG=0 SECRET_KEY=build-only /venv/bin/python manage.py collectstatic --noinput -v 0

FROM base
# Pango and HarfBuzz for WeasyPrint (the printed guide), and the Noto fonts that shape Arabic,
# Farsi, Pashto, Urdu, Sorani, Amharic and Tigrinya in it.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin infobus
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
# The frozen PDFs of the monthly editions (MEDIA_ROOT): mount a volume here to keep them.
RUN mkdir -p /app/media && chown infobus /app/media
USER infobus
ENV PATH="/venv/bin:$PATH" DEBUG=0 PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# Migrations and the staff roles are brought up to date before the workers start; two
# workers fit the small VPS this runs on.
# The access log leaves out the client's address and user agent: who reads the guide is
# nobody's business (docs/data-map.md).
# A worker may take up to three minutes on one request: publishing a monthly edition renders
# every area's printed guide in every language (guides.services.publish_edition).
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py sync_roles && exec gunicorn infobus.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --timeout 180 --access-logfile - --access-logformat '%(t)s \"%(m)s %(U)s\" %(s)s %(B)s %(M)sms' --forwarded-allow-ips '*'"]
