"""Private network foundation for Amazon Bedrock AgentCore, as CDKTF constructs."""

#: The release: `python main.py --version`, CHANGELOG.md's newest entry and the module READMEs.
__version__ = "0.12.1"
