#pragma once
// `marketstream tail TOPIC [--from-beginning | --from TIME] [--max N] [--kafka HOST:PORT]
//                          [--timeout SECONDS]`
// Prints one JSON object per message (kafka/tail_format.h) on stdout, one per line, read with its
// own consumer that joins no group and commits nothing (kafka/topic_tail.h).
// The command line is parsed by parseCommandLine() (parseTailCommand in cli_subcommands.cpp).
namespace ms {
struct TailCommandOptions;
}

// Exit codes: 0 done (N messages printed, or stopped by Ctrl+C / SIGTERM), 1 the tail failed
// (e.g. the topic does not exist), 2 no cluster given (neither --kafka nor
// KAFKA_BOOTSTRAP_SERVERS), 3 Kafka unreachable.
int runTailCommand(const ms::TailCommandOptions &command);
