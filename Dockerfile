# syntax=docker/dockerfile:1
# seamount-detect images. Two targets:
#   docker build --target cpu -t seamount-detect:cpu .   # Node 20 + tfjs-node (native TensorFlow CPU), wasm fallback
#   docker build --target gpu -t seamount-detect:gpu .   # CUDA 11.2 / cuDNN 8 + tfjs-node-gpu
# Run:  docker run --rm -v "$PWD/out:/work/out" seamount-detect:cpu                      (the demo pipeline)
#       docker run --rm -v /data:/data -v "$PWD/out:/work/out" seamount-detect:cpu detect /data/grid.nc --out out/x
#       docker run --rm --gpus all ... seamount-detect:gpu run /app/pipelines/ocean-basin.yaml
# Both run as the unprivileged user `node` (uid 1000) in /work; the app, pipelines and default model are in /app.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript, keep production dependencies only ----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# optional native backends are added per target below; dev tools are needed to compile
RUN npm ci --omit=optional --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --omit=optional --ignore-scripts

# ---- native TensorFlow for the CPU image (downloads libtensorflow: needs the network at build time) ---
# plus ONNX Runtime (its CPU libraries are inside the npm package; its install script only fetches CUDA
# extras, so it is skipped) for `--engine onnxruntime`; other platforms' libraries are dropped (~240 MB)
FROM ${NODE_IMAGE} AS native-cpu
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json ./
RUN ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save --no-package-lock @tensorflow/tfjs-node@4.22.0 onnxruntime-node@1.30.0 \
    && find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 ! -name linux -exec rm -rf {} + \
    && node -e "require('onnxruntime-node'); require('@tensorflow/tfjs-node')"

# ---- CPU image -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS cpu
ENV NODE_ENV=production APP_DIR=/app
WORKDIR /app
COPY --from=native-cpu /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json README.md ./
COPY config ./config
COPY pipelines ./pipelines
COPY data ./data
COPY docker/entrypoint.sh /usr/local/bin/seamount-entrypoint
RUN chmod +x /app/dist/cli/index.js && ln -s /app/dist/cli/index.js /usr/local/bin/seamount \
    && mkdir -p /work && chown node:node /work
USER node
WORKDIR /work
ENTRYPOINT ["seamount-entrypoint"]

# ---- native TensorFlow GPU build (glibc of bullseye matches the CUDA image's Ubuntu 20.04) ------------
FROM node:20-bullseye AS native-gpu
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json ./
RUN npm install --no-save --no-package-lock @tensorflow/tfjs-node-gpu@4.22.0

# ---- GPU image: tfjs-node-gpu 4.22 links libtensorflow 2.9 (CUDA 11.2, cuDNN 8.1) --------------------
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS gpu
ENV NODE_ENV=production APP_DIR=/app SEAMOUNT_SCORING__BACKEND=tensorflow
COPY --from=native-gpu /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=native-gpu /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json README.md ./
COPY config ./config
COPY pipelines ./pipelines
COPY data ./data
COPY docker/entrypoint.sh /usr/local/bin/seamount-entrypoint
RUN useradd --uid 1000 --create-home node && chmod +x /app/dist/cli/index.js \
    && ln -s /app/dist/cli/index.js /usr/local/bin/seamount \
    && mkdir -p /work && chown node:node /work
USER node
WORKDIR /work
ENTRYPOINT ["seamount-entrypoint"]
