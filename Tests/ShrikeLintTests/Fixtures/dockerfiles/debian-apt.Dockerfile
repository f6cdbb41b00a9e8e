FROM debian:12
RUN apt-get update && apt-get install -y curl ca-certificates
RUN apt-get install python3
WORKDIR app
COPY . .
CMD python3 app.py
