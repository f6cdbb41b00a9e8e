FROM python:3.11
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN pip install "django>=5.0"
RUN pipx install black
RUN PIP_NO_CACHE_DIR=true pip install numpy==2.0.0
