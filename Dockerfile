# The production image: the web process (gunicorn), the Celery worker and beat share it.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml ./
COPY config/ config/
COPY core/ core/
COPY merchants/ merchants/
COPY orders/ orders/
COPY disputes/ disputes/
COPY penalties/ penalties/
COPY buyer/ buyer/
COPY seller/ seller/
COPY public/ public/
RUN pip install .
COPY . .

# Static files are collected into the image (whitenoise serves them); the settings need their
# secrets to load, so throwaway values stand in for this one command.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=redis://build CACHE_URL=redis://build \
    DJANGO_EMAIL_URL=smtp://build DJANGO_DEFAULT_FROM_EMAIL=build@example.com \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 app && mkdir -p /app/media && chown app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py"]
