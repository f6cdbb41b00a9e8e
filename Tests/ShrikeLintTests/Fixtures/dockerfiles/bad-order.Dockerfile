LABEL stage="before"
FROM debian:12
EXPOSE 80
CMD ["a"]
CMD ["b"]
FROM debian:12 AS second
CMD ["c"]
USER 0
