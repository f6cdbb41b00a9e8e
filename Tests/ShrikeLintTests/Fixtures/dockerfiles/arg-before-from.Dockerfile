ARG REGISTRY=docker.io
ARG TAG=3.20
FROM ${REGISTRY}/library/alpine:${TAG}
ARG VERSION
RUN echo "$VERSION" > /version
FROM --platform=linux/amd64 alpine:3.20 AS amd
FROM --platform=$BUILDPLATFORM golang:1.22 AS cross
COPY --from=0 /version /version
COPY --from=amd /version /v2
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
USER 10001
