/**
 * A work queue on Kafka with a share group (KIP-932, Kafka >= 4.2): several workers take jobs from ONE
 * partition, each job locked for the worker that got it. A job that fails for a passing reason is
 * released and comes back (to any worker) with its delivery count raised; a job that keeps failing — a
 * poison record — is rejected after 3 deliveries and never delivered again.
 * Run: npm run example -- share-consumer
 */
import { KafkaAdmin, KafkaProducer, KafkaShareConsumer, deserializers, type Deserializer } from 'kafka-napi';

interface Job {
  id: number;
  /** How many attempts fail before this job succeeds (Infinity: never). */
  failures: number;
}

const MAX_DELIVERIES = 3;

export async function main(bootstrapServers: string, topic = `jobs-${Date.now()}`): Promise<void> {
  const groupId = `job-workers-${Date.now()}`;
  const admin = new KafkaAdmin({ bootstrapServers });
  await admin.createTopics([{ name: topic, numPartitions: 1 }]);
  // A new share group starts at the end of the topic: this one takes the jobs already queued too.
  await admin.incrementalAlterConfigs([
    { type: 'group', name: groupId, configs: [{ name: 'share.auto.offset.reset', value: 'earliest' }] },
  ]);
  await admin.close();

  const jobs: Job[] = Array.from({ length: 30 }, (_, id) => ({ id, failures: id % 10 === 3 ? 1 : 0 }));
  jobs.push({ id: 99, failures: Infinity }); // the poison record
  const producer = new KafkaProducer({ bootstrapServers });
  await producer.sendBatch(
    topic,
    jobs.map((job) => ({ value: JSON.stringify({ ...job, failures: job.failures === Infinity ? -1 : job.failures }) })),
  );
  await producer.close();

  const done = new Set<number>();
  const rejected: number[] = [];
  const worker = async (name: string): Promise<void> => {
    const consumer = new KafkaShareConsumer<Buffer, Job>(topic, {
      bootstrapServers,
      groupId,
      acknowledgementMode: 'explicit',
      maxPollRecords: 5,
      valueDeserializer: deserializers.json as Deserializer<Job>,
    });
    let idleSince = Date.now();
    while (Date.now() - idleSince < 8000) {
      const records = await consumer.poll({ timeoutMs: 1000 });
      if (records.length > 0) idleSince = Date.now();
      for (const record of records) {
        const job = record.value!;
        const fails = job.failures === -1 || record.deliveryCount <= job.failures;
        if (!fails) {
          done.add(job.id);
          consumer.acknowledge(record, 'accept');
        } else if (record.deliveryCount >= MAX_DELIVERIES) {
          console.log(`${name}: job ${job.id} failed ${record.deliveryCount} times: rejected`);
          rejected.push(job.id);
          consumer.acknowledge(record, 'reject');
        } else {
          console.log(`${name}: job ${job.id} failed on delivery ${record.deliveryCount}: released for a retry`);
          consumer.acknowledge(record, 'release');
        }
      }
    }
    await consumer.close(); // sends the last acknowledgements and leaves the group
  };
  await Promise.all([worker('worker-1'), worker('worker-2'), worker('worker-3')]);
  console.log(`${done.size} of ${jobs.length - 1} jobs done; rejected: ${rejected.join(', ') || 'none'}`);
  if (done.size !== jobs.length - 1 || rejected.join() !== '99') throw new Error('the work queue lost a job');
}
