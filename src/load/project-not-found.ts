/** No project folder where one was named; its own module so the CLI can catch it without loading the loader. */
export class ProjectNotFound extends Error {}
