FROM node:18-alpine AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

FROM node:18-alpine AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN yarn build && yarn cache clean

FROM node:18-alpine
WORKDIR /app
COPY --from=build /app/dist ./dist
RUN yarn install --production
USER node
CMD ["node", "dist/index.js"]
