FROM alpine:3.20
# <<- strips leading tabs from the body and the closing line; hadolint 2.15 cannot parse it (DL1000)
RUN <<-EOF
	apk add --no-cache curl
	sudo true
	EOF
RUN cat <<ONE <<TWO > /dev/null
first
ONE
second
TWO
USER 1000
