// Lets WebApplicationFactory<Program> reach the entry point from the tests.
public partial class Program;
