FROM ruby:3.3
ONBUILD COPY Gemfile /app/
ONBUILD RUN gem install bundler
ONBUILD RUN sudo bundle install
ONBUILD ONBUILD RUN echo nested
ONBUILD FROM ruby:3.2
RUN gem install rails:7.1.3 && gem install puma
USER app
