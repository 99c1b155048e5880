"""A bridge written in Python: records one failed interception through stubs generated from proto/.

Usage: record_interception.py HOST:PORT ID TOKEN
Prints the response as JSON.
"""
import json
import sys

import grpc
from google.protobuf import timestamp_pb2

from bridgelog.v1 import interception_pb2, recorder_service_pb2, recorder_service_pb2_grpc


def main() -> None:
    target, interception_id, token = sys.argv[1], sys.argv[2], sys.argv[3]
    started = timestamp_pb2.Timestamp(seconds=1_795_320_000, nanos=250_000_000)
    ended = timestamp_pb2.Timestamp(seconds=1_795_320_002)
    interception = interception_pb2.Interception(
        id=interception_id,
        tenant_id="tenant-python",
        initiator_id="user-py",
        provider="anthropic",
        model="claude-sonnet-4",
        feature="summarize",
        key_source=interception_pb2.KEY_SOURCE_BYOK,
        client="python-bridge/0.1 grpcio",
        started_at=started,
        ended_at=ended,
        usage=interception_pb2.TokenUsage(input_tokens=1200, output_tokens=0),
        cost_micros=0,
        metadata={"lang": "python", "emoji": "🐍"},
        error_type="Quota_Exhausted",
        error_message="Your credit balance is too low to access the Anthropic API. ✗",
    )
    with grpc.insecure_channel(target) as channel:
        stub = recorder_service_pb2_grpc.RecorderServiceStub(channel)
        response = stub.RecordInterception(
            recorder_service_pb2.RecordInterceptionRequest(interception=interception),
            timeout=10,
            metadata=[("authorization", f"Bearer {token}")],
        )
    recorded = response.recorded
    print(json.dumps({
        "id": recorded.id,
        "created": recorded.created,
        "outcome": interception_pb2.Outcome.Name(recorded.outcome),
        "error_type": interception_pb2.ErrorType.Name(recorded.error_type),
    }))


if __name__ == "__main__":
    main()
