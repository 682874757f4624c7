/* A task that makes no UAPI call: with --as-needed the runtime must still be linked in. */
int main(void)
{
	return 3;
}
