FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN pip install --no-cache-dir flask==3.0.3 gunicorn
RUN python -m pip install --upgrade pip
RUN pip3 install --no-cache-dir .
COPY . .
USER 1000
CMD ["gunicorn", "app:app"]
