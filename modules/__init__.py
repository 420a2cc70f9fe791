"""Private network foundation for Amazon Bedrock AgentCore, as CDKTF constructs."""
