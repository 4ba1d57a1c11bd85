package dev.sqsworker.bench;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * The Spring Boot application of the benchmark's starter row: nothing but the auto-configuration,
 * and no database (the no-op rows have none either).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
public class SpringBenchApplication {}
