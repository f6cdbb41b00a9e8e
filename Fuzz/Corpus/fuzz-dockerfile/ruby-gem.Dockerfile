FROM ruby:3.3-alpine
RUN gem install bundler -v 2.5.10
RUN gem install nokogiri --no-document
RUN gem i rake:13.2.1
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install --jobs 4
USER nobody
