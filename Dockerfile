# The app for docker-compose.yml: the web process, the Celery worker and beat share this image.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml ./
COPY config/ config/
COPY core/ core/
COPY merchants/ merchants/
COPY orders/ orders/
COPY disputes/ disputes/
COPY penalties/ penalties/
RUN pip install .
COPY . .

EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
