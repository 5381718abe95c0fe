#pragma once
// `marketstream tail TOPIC [--from-beginning | --from TIME] [--max N] [--kafka HOST:PORT]
//                          [--timeout SECONDS]`
// Prints one JSON object per message (kafka/tail_format.h) on stdout, one per line, read with its
// own consumer that joins no group and commits nothing (kafka/topic_tail.h).
#include <QStringList>

// args: the command line after the program name, starting at "tail".
// Exit codes: 0 done (N messages printed, or stopped by Ctrl+C / SIGTERM), 1 the tail failed
// (e.g. the topic does not exist), 2 bad arguments, 3 Kafka unreachable.
int runTailCommand(const QStringList &args);
