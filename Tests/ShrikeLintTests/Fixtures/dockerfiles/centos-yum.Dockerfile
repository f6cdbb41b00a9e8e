FROM centos:7
RUN yum install httpd
RUN yum install -y nginx-1.20.1 && yum clean all
RUN yum -y install php && rm -rf /var/cache/yum/*
RUN yum module install -y nodejs:18
