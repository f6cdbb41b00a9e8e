FROM opensuse/leap:15.6
RUN zypper install curl
RUN zypper -n install git=2.43.0 && zypper clean
RUN zypper dist-upgrade -y
RUN zypper --non-interactive in wget && zypper cc
