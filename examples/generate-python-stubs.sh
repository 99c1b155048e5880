#!/usr/bin/env bash
# Generates Python stubs for RecorderService from proto/ into a folder (default: stubs/).
# Needs protoc and the gRPC Python plugin (Debian: protobuf-compiler, protobuf-compiler-grpc,
# python3-grpcio, python3-protobuf). Run from the repository: bash examples/generate-python-stubs.sh [OUT]
set -euo pipefail
out=${1:-stubs}
mkdir -p "$out"
protoc -Iproto --python_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  proto/bridgelog/v1/interception.proto proto/bridgelog/v1/recorder_service.proto proto/google/rpc/error_details.proto
echo "stubs in $out: run with PYTHONPATH=$out"
