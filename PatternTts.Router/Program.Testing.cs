// Lets WebApplicationFactory<Program> reach the entry point from the tests and the benchmark.
public partial class Program;
