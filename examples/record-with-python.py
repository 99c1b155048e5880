"""Records one interception from Python through stubs generated from proto/.

Generate the stubs first (bash examples/generate-python-stubs.sh), then
run: BRIDGELOG_TOKEN=blg_... PYTHONPATH=stubs python3 examples/record-with-python.py [host:port]
"""
import os
import sys
import uuid

import grpc
from google.protobuf import timestamp_pb2

from bridgelog.v1 import interception_pb2, recorder_service_pb2, recorder_service_pb2_grpc


def enum_name(enum, value: int, prefix: str) -> str:
    """ERROR_TYPE_QUOTA_EXHAUSTED is printed as quota_exhausted, as bridgelog names it everywhere."""
    return enum.Name(value).removeprefix(prefix).lower()


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8080"
    now = timestamp_pb2.Timestamp()
    now.GetCurrentTime()
    # An Anthropic call that failed because the user's own key is out of credit: only the raw
    # facts (status and body); the server classifies them.
    interception = interception_pb2.Interception(
        id=str(uuid.uuid4()),
        tenant_id="acme",
        initiator_id="user-42",
        provider="anthropic",
        model="claude-sonnet-4",
        feature="summarize",
        key_source=interception_pb2.KEY_SOURCE_BYOK,
        client="python-bridge/0.1",
        started_at=now,
        ended_at=now,
        upstream=interception_pb2.UpstreamFailure(
            http_status=400,
            body='{"type":"error","error":{"type":"invalid_request_error",'
            '"message":"Your credit balance is too low to access the Anthropic API."}}',
        ),
    )
    with grpc.insecure_channel(target) as channel:
        stub = recorder_service_pb2_grpc.RecorderServiceStub(channel)
        try:
            response = stub.RecordInterception(
                recorder_service_pb2.RecordInterceptionRequest(interception=interception),
                timeout=10,
                metadata=[("authorization", f"Bearer {os.environ.get('BRIDGELOG_TOKEN', '')}")],
            )
        except grpc.RpcError as error:
            print(f"not recorded: {error.code().name} {error.details()}", file=sys.stderr)
            sys.exit(1)
    recorded = response.recorded
    outcome = enum_name(interception_pb2.Outcome, recorded.outcome, "OUTCOME_")
    error_type = enum_name(interception_pb2.ErrorType, recorded.error_type, "ERROR_TYPE_")
    print(f"recorded {recorded.id}: {outcome}, {error_type} (provider code {recorded.provider_code or 'none'})")


if __name__ == "__main__":
    main()
