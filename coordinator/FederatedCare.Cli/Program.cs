Console.WriteLine("fedcare: not yet");
