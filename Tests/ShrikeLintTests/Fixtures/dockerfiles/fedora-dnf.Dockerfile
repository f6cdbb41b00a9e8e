FROM fedora:40
RUN dnf install vim
RUN dnf install -y git-2.45.0 && dnf clean all
RUN microdnf install -y tar && microdnf clean all
ARG PKG_VERSION=1.2.3
RUN dnf install -y "mytool-${PKG_VERSION}" && dnf clean all
