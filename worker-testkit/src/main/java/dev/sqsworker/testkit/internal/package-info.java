/** How the local services are started: ElasticMQ, the S3 servers, PostgreSQL and LocalStack. */
package dev.sqsworker.testkit.internal;
