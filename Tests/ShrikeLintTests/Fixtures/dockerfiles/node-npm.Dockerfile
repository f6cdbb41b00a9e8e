FROM node:20
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
RUN npm install -g typescript
RUN npm install --save express@4.19.2 @types/node@20.1.0 lodash
RUN npm ci --omit=dev
EXPOSE 3000
CMD [ "node", "server.js" ]
