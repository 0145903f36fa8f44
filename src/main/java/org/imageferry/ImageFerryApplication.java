package org.imageferry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point. Exits with the code the run earned so cron and systemd see failures.
 */
@SpringBootApplication
public class ImageFerryApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(ImageFerryApplication.class, args)));
	}

}
