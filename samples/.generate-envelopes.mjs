// Writes samples/envelopes/: the records of the clean samples (and one faulty record of
// faults/schema-errors.jsonl) wrapped in each envelope they ship in. The envelope fields
// (sequence numbers, shard iterators, invocation and record IDs, log group and stream
// names, event IDs) are invented; their shapes follow the AWS documentation of each
// command or service (see README.md "Dumps it reads"). Run: node samples/.generate-envelopes.mjs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'envelopes');
mkdirSync(join(out, 'faults'), { recursive: true });
const lines = (rel) => readFileSync(join(here, rel), 'utf8').split('\n').filter((l) => l.trim());
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const ms = (iso) => Date.parse(iso);
const write = (rel, text) => writeFileSync(join(out, rel), text);
const pretty = (v) => JSON.stringify(v, null, 2) + '\n';

const agentEvents = lines('transfer-chain-agent-events.jsonl').slice(0, 4);
const contactRecords = lines('transfer-chain.jsonl');
const chat = readFileSync(join(here, 'chat.firehose'), 'utf8');
// The chat's records, split where one object ends and the next begins.
const chatRecords = chat.replace(/\}\{"AWSAccountId"/g, '}\n{"AWSAccountId"').split('\n').filter(Boolean);
const callback = lines('queued-callback.jsonl');
const faulty = lines('faults/schema-errors.jsonl')[0]; // "Channel": "VIDEO"

const agentArn = (r) => JSON.parse(r).AgentARN;
const eventTime = (r) => JSON.parse(r).EventTimestamp;
const seq = (i) => `4963${String(1000000000000 + i).padStart(52, '0')}`; // invented, 56 digits like Kinesis's
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream/connect-agent-events-example';

// aws kinesis get-records --shard-iterator ... (agent event stream: partition key = agent ARN)
write('kinesis-get-records.json', pretty({
  Records: agentEvents.map((r, i) => ({
    SequenceNumber: seq(i), ApproximateArrivalTimestamp: eventTime(r), Data: b64(r), PartitionKey: agentArn(r),
  })),
  NextShardIterator: 'AAAAAAAAAAFexampleInventedShardIteratorValue0000000000000000000000000000000000000000000000000000000000',
  MillisBehindLatest: 0,
}));

// The same output piped through `jq -c '.Records[]'`: one entry per line.
write('kinesis-records.jsonl', agentEvents.map((r, i) => JSON.stringify({
  SequenceNumber: seq(i), ApproximateArrivalTimestamp: eventTime(r), Data: b64(r), PartitionKey: agentArn(r),
})).join('\n') + '\n');

// The event a Lambda function receives from a Kinesis trigger (contact record stream).
write('lambda-kinesis-event.json', pretty({
  Records: contactRecords.map((r, i) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0', partitionKey: JSON.parse(r).ContactId, sequenceNumber: seq(10 + i),
      data: b64(r), approximateArrivalTimestamp: ms(JSON.parse(r).LastUpdateTimestamp) / 1000,
    },
    eventSource: 'aws:kinesis', eventVersion: '1.0',
    eventID: `shardId-000000000000:${seq(10 + i)}`, eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/connect-ctr-processor-example',
    awsRegion: 'us-east-1', eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/connect-ctr-example',
  })),
}));

// Kinesis Data Firehose: the transformation event a Lambda processor receives, and its response.
const recordId = (i) => `49546986683135544286507457936321625675700192471156785154${String(i).padStart(4, '0')}`; // invented
write('firehose-transform-event.json', pretty({
  invocationId: 'invoked-6ed1a2c3-0000-4000-8000-000000000001',
  deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/connect-chat-example',
  region: 'us-east-1',
  records: chatRecords.map((r, i) => ({ recordId: recordId(i), approximateArrivalTimestamp: 1795514400000 + i * 1000, data: b64(r) })),
}));
write('firehose-transform-response.json', pretty({
  records: chatRecords.map((r, i) => ({ recordId: recordId(i), result: 'Ok', data: b64(r + '\n') })),
}));

// Records Firehose could not process, as it writes them under processing-failed/ in S3.
write('firehose-processing-failed.jsonl', callback.slice(0, 2).map((r, i) => JSON.stringify({
  attemptsMade: 4, arrivalTimestamp: 1795514400000 + i, errorCode: 'Lambda.FunctionError',
  errorMessage: 'The Lambda function was successfully invoked but it returned an error result.',
  attemptEndingTimestamp: 1795514460000 + i, rawData: b64(r),
  lambdaArn: 'arn:aws:lambda:us-east-1:111122223333:function:connect-transform-example:$LATEST',
})).join('\n') + '\n');

// CloudWatch Logs: aws logs filter-log-events output (a Lambda that logs each record, plus its own log lines).
const logStream = '2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef';
const logEvents = [
  'START RequestId: 6ed1a2c3-0000-4000-8000-000000000002 Version: $LATEST\n',
  ...contactRecords,
  'END RequestId: 6ed1a2c3-0000-4000-8000-000000000002\n',
].map((message, i) => ({ timestamp: 1795514400000 + i * 10, message }));
write('cloudwatch-filter-log-events.json', pretty({
  events: logEvents.map((e, i) => ({
    logStreamName: logStream, timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 50,
    eventId: `3800000000000000000000000000000000000000000000000000${String(i).padStart(4, '0')}`,
  })),
  searchedLogStreams: [],
}));

// A CloudWatch Logs subscription payload, decoded, and as Lambda receives it (gzip + base64).
const subscription = {
  messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: '/aws/lambda/connect-ctr-logger-example', logStream,
  subscriptionFilters: ['connect-records-example'],
  logEvents: logEvents.map((e, i) => ({ id: `3800000000000000000000000000000000000000000000000000${String(i).padStart(4, '0')}`, timestamp: e.timestamp, message: e.message })),
};
write('cloudwatch-subscription.json', pretty(subscription));
write('lambda-cloudwatch-logs-event.json', pretty({ awslogs: { data: gzipSync(JSON.stringify(subscription)).toString('base64') } }));

// Firehose to S3 with GZIP compression: the chat records in two gzip members back to back,
// the second after NUL bytes between two records (both seen in real output).
const half = Math.ceil(chatRecords.length / 2);
write('chat-2026-11-24-10.gz', Buffer.concat([
  gzipSync(chatRecords.slice(0, half).join('')),
  gzipSync('\0' + chatRecords.slice(half).join('\0')),
]));

// One faulty record inside an envelope: a contact record with "Channel": "VIDEO" in get-records output.
write('faults/kinesis-get-records-schema-error.json', pretty({
  Records: [agentEvents[0], faulty].map((r, i) => ({
    SequenceNumber: seq(20 + i), ApproximateArrivalTimestamp: i === 0 ? eventTime(r) : JSON.parse(r).LastUpdateTimestamp,
    Data: b64(r), PartitionKey: i === 0 ? agentArn(r) : JSON.parse(r).ContactId,
  })),
  NextShardIterator: 'AAAAAAAAAAFexampleInventedShardIteratorValue0000000000000000000000000000000000000000000000000000000001',
  MillisBehindLatest: 0,
}));
